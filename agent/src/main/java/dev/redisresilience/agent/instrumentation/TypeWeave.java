package dev.redisresilience.agent.instrumentation;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hooks woven into one client class by a single plain ASM pass: for each {@link MethodWeave},
 * calls to static methods of a hook class at the method's entry, before its returns and around its code (a
 * catch-all handler appended last, so the method's own handlers come first); for each {@link CallWeave}, its
 * call sites replaced by calls of a hook. Methods with neither are copied as they are. This is how the agent
 * instruments the clients: their classes are needed in an application's first milliseconds, and the pass costs
 * a few milliseconds where a Byte Buddy advice pass (type pool, advice resolution, some 750 classes loaded)
 * cost over 100 ms of the application's start for the one Jedis class it needs at once.
 *
 * <p>No field or method is added (attach can retransform); the hook state lives in a new local after the
 * method's own, which is added to the method's stack map frames. The hook class must be public and visible
 * from the client class (the agent's classes are, from the bootstrap loader); a hook it does not declare
 * with the descriptor the weave calls refuses the class. Immutable and thread-safe.
 */
public final class TypeWeave {
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String SKIP_OWNER = Type.getInternalName(MethodWeave.class);

    private final String typeName;
    private final Class<?> hookClass;
    private final String hooks;
    private final List<MethodWeave> methods;
    private final List<CallWeave> calls;
    private volatile Set<String> hookMethods;

    /** Weaves {@code methods} (the first that matches a method wins) into {@code typeName}; hooks in {@code hooks}. */
    public TypeWeave(String typeName, Class<?> hooks, MethodWeave... methods) {
        this(typeName, hooks, Arrays.asList(methods), Collections.<CallWeave>emptyList());
    }

    /** As {@link #TypeWeave(String, Class, MethodWeave...)}, with call site rewrites in every method. */
    public TypeWeave(String typeName, Class<?> hooks, List<MethodWeave> methods, List<CallWeave> calls) {
        this.typeName = typeName;
        this.hookClass = hooks;
        this.hooks = Type.getInternalName(hooks);
        this.methods = Collections.unmodifiableList(new ArrayList<MethodWeave>(methods));
        this.calls = Collections.unmodifiableList(new ArrayList<CallWeave>(calls));
    }

    /**
     * Throws unless the hook class declares {@code public static name(descriptor)}: a woven call to a missing
     * hook would throw {@code NoSuchMethodError} inside the client, so the class is refused instead.
     */
    private void requireHook(String name, String descriptor) {
        Set<String> declared = hookMethods;
        if (declared == null) {
            declared = new HashSet<String>();
            for (Method m : hookClass.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) {
                    declared.add(m.getName() + Type.getMethodDescriptor(m));
                }
            }
            hookMethods = declared;
        }
        if (!Modifier.isPublic(hookClass.getModifiers()) || !declared.contains(name + descriptor)) {
            throw new IllegalStateException("no hook public static " + name + descriptor + " in " + hookClass.getName());
        }
    }

    private void callHook(MethodVisitor mv, String name, String descriptor) {
        requireHook(name, descriptor);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, hooks, name, descriptor, false);
    }

    /** The binary name of the class this weave applies to. */
    public String typeName() {
        return typeName;
    }

    /**
     * {@code classfile} with the hooks woven in, or null when it declares none of the methods. Throws when the
     * class cannot be woven (a field named by a weave is missing, a constructor given more than a return hook,
     * ...); the caller reports it and the class loads as it is.
     */
    public byte[] apply(byte[] classfile) {
        return apply(classfile, new ArrayList<String>());
    }

    /**
     * As {@link #apply(byte[])}; adds to {@code unmatched} each method weave that matched no method and each
     * call weave that found no call site (a client version that differs from the ones the weave was made for).
     */
    public byte[] apply(byte[] classfile, Collection<String> unmatched) {
        ClassReader reader = new ClassReader(classfile);
        final Scan scan = new Scan();
        reader.accept(scan, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (MethodWeave m : methods) {
            if (!scan.matched.contains(m)) {
                unmatched.add(m.toString());
            }
        }
        for (CallWeave c : calls) {
            if (!scan.matched.contains(c)) {
                unmatched.add("calls of " + c);
            }
        }
        if (scan.maxLocals.isEmpty() && scan.callSites.isEmpty()) {
            return null;
        }
        // given the reader, the writer copies the constant pool and every method not visited through an adapter
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                frames = (version & 0xFFFF) >= Opcodes.V1_6; // older class files have no stack map frames
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (scan.callSites.contains(name + descriptor)) {
                    next = new CallRewriter(next, (access & Opcodes.ACC_STATIC) != 0);
                }
                Integer maxLocals = scan.maxLocals.get(name + descriptor);
                return maxLocals == null ? next : new Woven(next, weaveFor(access, name, descriptor), owner, name,
                        descriptor, maxLocals, frames, scan.fields);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private MethodWeave weaveFor(int access, String name, String descriptor) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return null;
        }
        for (MethodWeave m : methods) {
            if (m.matches(name, descriptor)) {
                return m;
            }
        }
        return null;
    }

    private CallWeave callFor(int opcode, String owner, String name, String descriptor) {
        for (CallWeave c : calls) {
            if (c.matches(opcode, owner, name, descriptor)) {
                return c;
            }
        }
        return null;
    }

    /**
     * First pass: the fields' descriptors, each woven method's {@code max_locals} (its new local goes after) and
     * the methods with a call site to rewrite.
     */
    private final class Scan extends ClassVisitor {
        final Map<String, String> fields = new HashMap<String, String>();
        final Map<String, Integer> maxLocals = new HashMap<String, Integer>();
        final Set<String> callSites = new HashSet<String>();
        /** The method and call weaves that found something (identity: weaves do not override equals). */
        final Set<Object> matched = new HashSet<Object>();

        Scan() {
            super(Opcodes.ASM9);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
                fields.put(name, descriptor);
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, final String name, final String descriptor, String signature,
                                         String[] exceptions) {
            final MethodWeave weave = weaveFor(access, name, descriptor);
            MethodVisitor callScan = calls.isEmpty() || (access & Opcodes.ACC_ABSTRACT) != 0 ? null
                    : new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callName, String callDescriptor,
                                                    boolean isInterface) {
                            CallWeave call = callFor(opcode, owner, callName, callDescriptor);
                            if (call != null) {
                                callSites.add(name + descriptor);
                                matched.add(call);
                            }
                        }
                    };
            if (weave == null) {
                return callScan;
            }
            matched.add(weave);
            if ("<init>".equals(name) && (weave.enter != null || weave.onThrow != null)) {
                throw new IllegalStateException("constructors take a return hook only: " + weave);
            }
            for (String f : weave.fields) {
                if (!fields.containsKey(f)) {
                    throw new IllegalStateException("no field '" + f + "' in " + typeName + " for " + weave);
                }
            }
            if (weave.enterKind == MethodWeave.Enter.ARGUMENT_0 && weave.enter != null) {
                Type[] args = Type.getArgumentTypes(descriptor);
                if (args.length == 0 || args[0].getSort() < Type.ARRAY) {
                    throw new IllegalStateException("no reference argument to replace in " + name + descriptor);
                }
            }
            if (weave.returnValue && Type.getReturnType(descriptor).getSort() < Type.ARRAY) {
                throw new IllegalStateException("no reference returned by " + name + descriptor + " for " + weave);
            }
            return new MethodVisitor(Opcodes.ASM9, callScan) {
                @Override
                public void visitMaxs(int maxStack, int locals) {
                    maxLocals.put(name + descriptor, locals);
                }
            };
        }
    }

    /** Second pass over one woven method: the hook calls and the catch-all handler. */
    private final class Woven extends MethodVisitor {
        private final MethodWeave weave;
        private final String owner;
        private final String name;
        private final Type[] arguments;
        private final Type returnType;
        private final boolean constructor;
        private final int originalMaxLocals;
        private final int stateSlot;
        private final boolean frames;
        private final Map<String, String> fieldTypes;
        private final Object[] entryLocals;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();
        private boolean begun;

        Woven(MethodVisitor next, MethodWeave weave, String owner, String name, String descriptor, int maxLocals,
              boolean frames, Map<String, String> fieldTypes) {
            super(Opcodes.ASM9, next);
            this.weave = weave;
            this.owner = owner;
            this.name = name;
            this.arguments = Type.getArgumentTypes(descriptor);
            this.returnType = Type.getReturnType(descriptor);
            this.constructor = "<init>".equals(name);
            this.originalMaxLocals = maxLocals;
            this.stateSlot = weave.hasState() ? maxLocals : -1;
            this.frames = frames;
            this.fieldTypes = fieldTypes;
            this.entryLocals = entryLocals();
        }

        /** The locals at the handler and after the enter hook: this, the arguments, TOP up to ours, the state. */
        private Object[] entryLocals() {
            List<Object> locals = new ArrayList<Object>();
            locals.add(owner);
            for (Type t : arguments) {
                locals.add(frameType(t));
            }
            return withState(locals.toArray());
        }

        private Object[] withState(Object[] locals) {
            if (stateSlot < 0) {
                return locals;
            }
            List<Object> out = new ArrayList<Object>(Arrays.asList(locals));
            int slots = 0;
            for (Object l : locals) {
                slots += l == Opcodes.LONG || l == Opcodes.DOUBLE ? 2 : 1;
            }
            for (; slots < originalMaxLocals; slots++) {
                out.add(Opcodes.TOP);
            }
            out.add(OBJECT);
            return out.toArray();
        }

        private void begin() {
            if (begun) {
                return;
            }
            begun = true;
            if (constructor) {
                return;
            }
            if (weave.enter != null) {
                enter();
            }
            if (weave.onThrow != null) {
                super.visitTryCatchBlock(start, end, handler, THROWABLE);
                super.visitLabel(start);
            }
        }

        private void enter() {
            pushShared(false);
            MethodWeave.Enter kind = weave.enterKind;
            callHook(mv, weave.enter,
                    "(" + sharedDescriptor(false) + ")" + (kind == MethodWeave.Enter.NONE ? "V" : "L" + OBJECT + ";"));
            if (kind == MethodWeave.Enter.ARGUMENT_0) {
                super.visitTypeInsn(Opcodes.CHECKCAST, arguments[0].getInternalName());
                super.visitVarInsn(Opcodes.ASTORE, 1);
            } else if (kind == MethodWeave.Enter.RETURN_OR_PROCEED) {
                Label proceed = new Label();
                super.visitInsn(Opcodes.DUP);
                super.visitFieldInsn(Opcodes.GETSTATIC, SKIP_OWNER, "PROCEED", "L" + OBJECT + ";");
                super.visitJumpInsn(Opcodes.IF_ACMPEQ, proceed);
                returnObject();
                super.visitLabel(proceed);
                frame(entryLocals, OBJECT);
                super.visitInsn(Opcodes.POP);
            } else if (kind != MethodWeave.Enter.NONE) {
                super.visitVarInsn(Opcodes.ASTORE, stateSlot);
                if (kind == MethodWeave.Enter.STATE_OR_SKIP) {
                    Label body = new Label();
                    super.visitVarInsn(Opcodes.ALOAD, stateSlot);
                    super.visitFieldInsn(Opcodes.GETSTATIC, SKIP_OWNER, "SKIP", "L" + OBJECT + ";");
                    super.visitJumpInsn(Opcodes.IF_ACMPNE, body);
                    returnDefault();
                    super.visitLabel(body);
                    frame(entryLocals);
                    super.visitInsn(Opcodes.NOP); // a frame of the method's own may follow at its first instruction
                }
            }
        }

        /** Pushes what every hook receives: this, [name], [state], [fields], [arguments]. */
        private void pushShared(boolean state) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            if (weave.methodName) {
                super.visitLdcInsn(name);
            }
            if (state && stateSlot >= 0) {
                super.visitVarInsn(Opcodes.ALOAD, stateSlot);
            }
            for (String f : weave.fields) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, f, fieldTypes.get(f));
            }
            if (weave.arguments) {
                int slot = 1;
                for (Type t : arguments) {
                    super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                    slot += t.getSize();
                }
            } else if (weave.argumentArray) {
                push(arguments.length);
                super.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
                int slot = 1;
                for (int i = 0; i < arguments.length; i++) {
                    super.visitInsn(Opcodes.DUP);
                    push(i);
                    super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slot);
                    box(arguments[i]);
                    super.visitInsn(Opcodes.AASTORE);
                    slot += arguments[i].getSize();
                }
            }
        }

        private void push(int value) {
            if (value <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + value);
            } else {
                super.visitIntInsn(Opcodes.SIPUSH, value);
            }
        }

        private void box(Type t) {
            if (t.getSort() < Type.ARRAY) {
                String wrapper = wrapper(t);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf",
                        "(" + t.getDescriptor() + ")L" + wrapper + ";", false);
            }
        }

        /** The descriptor of what {@link #pushShared} pushes. */
        private String sharedDescriptor(boolean state) {
            StringBuilder d = new StringBuilder("L" + OBJECT + ";");
            if (weave.methodName) {
                d.append("Ljava/lang/String;");
            }
            if (state && stateSlot >= 0) {
                d.append("L" + OBJECT + ";");
            }
            for (String f : weave.fields) {
                d.append(erased(Type.getType(fieldTypes.get(f))));
            }
            if (weave.arguments) {
                for (Type t : arguments) {
                    d.append(erased(t));
                }
            } else if (weave.argumentArray) {
                d.append("[L" + OBJECT + ";");
            }
            return d.toString();
        }

        private void frame(Object[] locals, Object... stack) {
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
            }
        }

        private void returnDefault() {
            switch (returnType.getSort()) {
                case Type.VOID: break;
                case Type.LONG: super.visitInsn(Opcodes.LCONST_0); break;
                case Type.FLOAT: super.visitInsn(Opcodes.FCONST_0); break;
                case Type.DOUBLE: super.visitInsn(Opcodes.DCONST_0); break;
                case Type.OBJECT: case Type.ARRAY: super.visitInsn(Opcodes.ACONST_NULL); break;
                default: super.visitInsn(Opcodes.ICONST_0); break;
            }
            super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
        }

        /** The handler: the onThrow hook's result is thrown (a throwable) or returned (anything else). */
        private void handler() {
            super.visitLabel(end);
            super.visitLabel(handler);
            frame(entryLocals, THROWABLE);
            pushShared(true);
            callHook(mv, weave.onThrow, "(L" + THROWABLE + ";" + sharedDescriptor(true) + ")L" + OBJECT + ";");
            Label value = new Label();
            super.visitInsn(Opcodes.DUP);
            super.visitTypeInsn(Opcodes.INSTANCEOF, THROWABLE);
            super.visitJumpInsn(Opcodes.IFEQ, value);
            super.visitTypeInsn(Opcodes.CHECKCAST, THROWABLE);
            super.visitInsn(Opcodes.ATHROW);
            super.visitLabel(value);
            frame(entryLocals, OBJECT);
            returnObject();
        }

        /** Returns the {@code Object} on the stack as the method's result: dropped, cast or unboxed. */
        private void returnObject() {
            int sort = returnType.getSort();
            if (sort == Type.VOID) {
                super.visitInsn(Opcodes.POP);
            } else if (sort == Type.OBJECT || sort == Type.ARRAY) {
                super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
            } else {
                String wrapper = wrapper(returnType);
                super.visitTypeInsn(Opcodes.CHECKCAST, wrapper);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, wrapper, returnType.getClassName() + "Value",
                        "()" + returnType.getDescriptor(), false);
            }
            super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            begin();
            if (stateSlot >= 0 && type == Opcodes.F_NEW) {
                Object[] locals = withState(Arrays.copyOf(local, numLocal));
                super.visitFrame(type, locals.length, locals, numStack, stack);
            } else {
                super.visitFrame(type, numLocal, local, numStack, stack);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            begin();
            if (weave.onReturn != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                pushShared(true);
                if (weave.returnValue) { // the value returned is on the stack below: the hook's first argument
                    callHook(mv, weave.onReturn, "(L" + OBJECT + ";" + sharedDescriptor(true) + ")L" + OBJECT + ";");
                    super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
                } else {
                    callHook(mv, weave.onReturn, "(" + sharedDescriptor(true) + ")V");
                }
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitLabel(Label label) {
            begin();
            super.visitLabel(label);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            begin();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            begin();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            begin();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String fieldName, String descriptor) {
            begin();
            super.visitFieldInsn(opcode, fieldOwner, fieldName, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String methodOwner, String methodName, String descriptor,
                                    boolean isInterface) {
            begin();
            super.visitMethodInsn(opcode, methodOwner, methodName, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String indyName, String descriptor, org.objectweb.asm.Handle bootstrap,
                                           Object... bootstrapArguments) {
            begin();
            super.visitInvokeDynamicInsn(indyName, descriptor, bootstrap, bootstrapArguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            begin();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            begin();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            begin();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            begin();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            begin();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            begin();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            begin();
            if (!constructor && weave.onThrow != null) {
                handler();
            }
            // this, name, state, the fields and arguments (longs count twice; or array, dup, index, value), the
            // throwable or returned value, a dup and a return value
            int extra = 8 + weave.fields.size() * 2 + (weave.arguments ? arguments.length * 2 : 0);
            super.visitMaxs(maxStack + extra, Math.max(maxLocals, originalMaxLocals) + (stateSlot >= 0 ? 1 : 0));
        }
    }

    /** Replaces the call sites of the {@link CallWeave}s in one method. */
    private final class CallRewriter extends MethodVisitor {
        private final boolean isStatic;

        CallRewriter(MethodVisitor next, boolean isStatic) {
            super(Opcodes.ASM9, next);
            this.isStatic = isStatic;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            CallWeave call = callFor(opcode, owner, name, descriptor);
            if (call == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                return;
            }
            StringBuilder hook = new StringBuilder("(L" + OBJECT + ";");
            for (Type t : Type.getArgumentTypes(descriptor)) {
                hook.append(erased(t));
            }
            hook.append("Ljava/lang/String;L" + OBJECT + ";)V");
            super.visitLdcInsn(descriptor);
            if (isStatic) {
                super.visitInsn(Opcodes.ACONST_NULL);
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
            callHook(mv, call.hook, hook.toString());
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 2, maxLocals);
        }
    }

    private static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT: return Opcodes.INTEGER;
            case Type.FLOAT: return Opcodes.FLOAT;
            case Type.LONG: return Opcodes.LONG;
            case Type.DOUBLE: return Opcodes.DOUBLE;
            case Type.ARRAY: return t.getDescriptor();
            default: return t.getInternalName();
        }
    }

    private static String erased(Type t) {
        return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY ? "L" + OBJECT + ";" : t.getDescriptor();
    }

    private static String wrapper(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN: return "java/lang/Boolean";
            case Type.CHAR: return "java/lang/Character";
            case Type.BYTE: return "java/lang/Byte";
            case Type.SHORT: return "java/lang/Short";
            case Type.INT: return "java/lang/Integer";
            case Type.FLOAT: return "java/lang/Float";
            case Type.LONG: return "java/lang/Long";
            default: return "java/lang/Double";
        }
    }
}
