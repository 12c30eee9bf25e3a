package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A type instrumentation applied by one plain ASM pass instead of Byte Buddy: just before every normal return
 * of the listed methods, a call {@code hook(this, "methodName", new Object[] {arguments...})} (primitives
 * boxed) to a public static void method of the agent. For very large client classes where only "after it
 * returned normally" is needed: every other method's bytes are copied as they are, so the pass costs a few
 * milliseconds where a Byte Buddy advice pass, which describes and rewrites every method, cost 100-200 ms at
 * start for the ~1,100 methods of Jedis 4+'s {@code Jedis}.
 *
 * <p>Contract of the hook: it never throws (nothing catches around the call), and it is defined by the
 * bootstrap loader (visible from every client class). No field or method is added to the client class and
 * no branch is inserted, so its stack map frames stay valid and it can be retransformed (attach). Immutable.
 */
public final class ReturnHook {
    private static final String HOOK_DESCRIPTOR = "(Ljava/lang/Object;Ljava/lang/String;[Ljava/lang/Object;)V";
    /** Stack the call may need above a (long/double) return value: this, name, array, dup, index, long/double. */
    private static final int EXTRA_STACK = 8;

    private final String typeName;
    private final Set<String> methods;
    private final String hookOwner;
    private final String hookName;

    /**
     * @param typeName the binary name of the client class
     * @param methods  each a method name followed by its JVM descriptor, e.g. {@code select(I)Ljava/lang/String;}
     * @param hookOwner the class declaring the hook, {@code public static void name(Object, String, Object[])}
     */
    public ReturnHook(String typeName, Set<String> methods, Class<?> hookOwner, String hookName) {
        this.typeName = typeName;
        this.methods = Collections.unmodifiableSet(new LinkedHashSet<String>(methods));
        this.hookOwner = Type.getInternalName(hookOwner);
        this.hookName = hookName;
    }

    /** The binary name of the class this hook instruments. */
    public String typeName() {
        return typeName;
    }

    /** Name + descriptor of every method hooked. */
    public Set<String> methods() {
        return methods;
    }

    /**
     * {@code classfile} with the hook calls added, or null when the class declares none of the methods (or they
     * are abstract). Throws on a class file ASM cannot read; the caller reports it and loads the class as it is.
     */
    public byte[] apply(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        // given the reader, the writer copies the constant pool and every method not visited through an adapter
        ClassWriter writer = new ClassWriter(reader, 0);
        final boolean[] hooked = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & Opcodes.ACC_ABSTRACT) != 0 || !methods.contains(name + descriptor)) {
                    return next;
                }
                hooked[0] = true;
                return new BeforeReturn(next, access, name, descriptor);
            }
        }, 0);
        return hooked[0] ? writer.toByteArray() : null;
    }

    /** Inserts the hook call before each return instruction of one method. */
    private final class BeforeReturn extends MethodVisitor {
        private final boolean isStatic;
        private final String name;
        private final Type[] arguments;

        BeforeReturn(MethodVisitor next, int access, String name, String descriptor) {
            super(Opcodes.ASM9, next);
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.name = name;
            this.arguments = Type.getArgumentTypes(descriptor);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                callHook();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + EXTRA_STACK, maxLocals);
        }

        private void callHook() {
            if (isStatic) {
                super.visitInsn(Opcodes.ACONST_NULL);
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
            super.visitLdcInsn(name);
            push(arguments.length);
            super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < arguments.length; i++) {
                Type t = arguments[i];
                super.visitInsn(Opcodes.DUP);
                push(i);
                super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                box(t);
                super.visitInsn(Opcodes.AASTORE);
                slot += t.getSize();
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, HOOK_DESCRIPTOR, false);
        }

        private void push(int value) {
            if (value <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + value);
            } else {
                super.visitIntInsn(Opcodes.SIPUSH, value);
            }
        }

        private void box(Type t) {
            String wrapper;
            switch (t.getSort()) {
                case Type.BOOLEAN: wrapper = "java/lang/Boolean"; break;
                case Type.CHAR: wrapper = "java/lang/Character"; break;
                case Type.BYTE: wrapper = "java/lang/Byte"; break;
                case Type.SHORT: wrapper = "java/lang/Short"; break;
                case Type.INT: wrapper = "java/lang/Integer"; break;
                case Type.FLOAT: wrapper = "java/lang/Float"; break;
                case Type.LONG: wrapper = "java/lang/Long"; break;
                case Type.DOUBLE: wrapper = "java/lang/Double"; break;
                default: return; // a reference
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf",
                    "(" + t.getDescriptor() + ")L" + wrapper + ";", false);
        }
    }
}
