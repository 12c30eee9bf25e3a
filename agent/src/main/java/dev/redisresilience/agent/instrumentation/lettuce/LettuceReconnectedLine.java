package dev.redisresilience.agent.instrumentation.lettuce;

import org.objectweb.asm.Type;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lettuce's {@code ReconnectionHandler} logs {@code Reconnected to <address>} at INFO once a reconnect has
 * completed its handshake. The module rewrites every {@code InternalLogger.info(..)} call inside
 * {@code ReconnectionHandler} (lambda bodies included: their names differ between versions) into a call of
 * {@link LettuceHooks#reconnectedInfo}, which comes here: the line is dropped when the reconnect is one the
 * agent let loose after an outage it handled (the agent's UP line already said so), and logged unchanged
 * otherwise. Client-free: the logger and the handler are reached as plain objects.
 */
final class LettuceReconnectedLine {
    private LettuceReconnectedLine() { }

    static final String PREFIX = "Reconnected to";

    /** Per logger class (not its name: two applications may each load their own Netty), per descriptor. */
    private static final ClassValue<Map<String, Method>> INFO = new ClassValue<Map<String, Method>>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<String, Method>();
        }
    };

    /**
     * Stands in for {@code logger.info(args...)} inside a {@code ReconnectionHandler} method. Never throws.
     *
     * @param logger     the Netty {@code InternalLogger} the call was made on
     * @param descriptor the JVM descriptor of the {@code info} method called
     * @param handler    the {@code ReconnectionHandler} whose method makes the call (null in a static method)
     * @param args       the call's arguments (the format first)
     */
    static void info(Object logger, String descriptor, Object handler, Object... args) {
        try {
            if (args.length > 0 && args[0] instanceof String && ((String) args[0]).startsWith(PREFIX)
                    && LettuceSupport.quietReconnected(handler)) {
                return;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        try {
            infoMethod(logger, descriptor).invoke(logger, args);
        } catch (Throwable t) {
            LettuceSupport.failure(t); // logging must never break the reconnect
        }
    }

    /**
     * The logger's {@code info} with this descriptor: through a public interface it implements (Netty's
     * {@code InternalLogger}; its implementations are not public classes), else its own, made accessible.
     */
    private static Method infoMethod(Object logger, String descriptor) throws NoSuchMethodException {
        Map<String, Method> cache = INFO.get(logger.getClass());
        Method m = cache.get(descriptor);
        if (m == null) {
            for (Class<?> c = logger.getClass(); c != null && m == null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    m = find(i, descriptor);
                    if (m != null) {
                        break;
                    }
                }
            }
            if (m == null) {
                m = find(logger.getClass(), descriptor);
                if (m == null) {
                    throw new NoSuchMethodException("info" + descriptor + " on " + logger.getClass().getName());
                }
                m.setAccessible(true);
            }
            cache.put(descriptor, m);
        }
        return m;
    }

    private static Method find(Class<?> type, String descriptor) {
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals("info") && Type.getMethodDescriptor(candidate).equals(descriptor)) {
                return candidate;
            }
        }
        return null;
    }
}
