package dev.redisresilience.agent.instrumentation;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.pool.TypePool;

/**
 * Applies a per-method wrapper (such as {@code MemberSubstitution.on(..)}) to every method the type declares,
 * synthetic ones included. Byte Buddy leaves synthetic methods out of the instrumented methods it hands to a
 * visitor wrapper, and a lambda's body is a synthetic method: a call site inside a lambda is otherwise never
 * seen. The wrapped visitor's own method matcher still decides which methods it rewrites.
 */
public final class SyntheticToo implements AsmVisitorWrapper {
    private final AsmVisitorWrapper delegate;

    public SyntheticToo(AsmVisitorWrapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public int mergeWriter(int flags) {
        return delegate.mergeWriter(flags);
    }

    @Override
    public int mergeReader(int flags) {
        return delegate.mergeReader(flags);
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                             int writerFlags, int readerFlags) {
        return delegate.wrap(instrumentedType, classVisitor, implementationContext, typePool, fields,
                instrumentedType.getDeclaredMethods(), writerFlags, readerFlags);
    }
}
