package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.instrumentation.MethodWeave.Enter;
import dev.redisresilience.agent.instrumentation.TypeWeave;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What is matched in Jedis, for every generation: {@code Connection}, the socket factory and the pool factory,
 * woven with {@link JedisHooks}. A generation's module adds its own {@code Connection} methods ahead of the
 * shared ones.
 */
public final class JedisWeaves {
    private JedisWeaves() { }

    public static final String CONNECTION = "redis.clients.jedis.Connection";
    public static final String SOCKET_FACTORY = "redis.clients.jedis.DefaultJedisSocketFactory";
    public static final String POOL_FACTORY = "redis.clients.jedis.JedisFactory";

    /** No-argument reply readers whose in-flight command can be re-run after a mid-call outage. */
    static final String[] READERS = {
        "getStatusCodeReply", "getBulkReply", "getBinaryBulkReply", "getIntegerReply", "getMultiBulkReply",
        "getBinaryMultiBulkReply", "getRawObjectMultiBulkReply", "getObjectMultiBulkReply",
        "getIntegerMultiBulkReply",
    };

    /**
     * {@code Connection}: the generation's own methods first, then connect (lazy connect, engine switch), the
     * checked read and the reply readers (plus {@code getOne()} for 2.x/3.x), and {@code getMany(int)} (3.x+).
     */
    public static TypeWeave connection(boolean jedis2, boolean getOneRetry, boolean getManyRetry,
                                       MethodWeave... generation) {
        List<MethodWeave> methods = new ArrayList<MethodWeave>(Arrays.asList(generation));
        methods.add(MethodWeave.methods("()", "connect").fields("socket")
                .enter(jedis2 ? "connectEnterJedis2" : "connectEnter", Enter.STATE_OR_SKIP)
                .onReturn("connectReturned").onThrow("connectThrew"));
        methods.add(MethodWeave.methods("()", "readProtocolWithCheckingBroken").onThrow("readThrew"));
        List<String> readers = new ArrayList<String>(Arrays.asList(READERS));
        if (getOneRetry) {
            readers.add("getOne");
        }
        methods.add(MethodWeave.methods("()", readers.toArray(new String[0])).withMethodName().onThrow("readerThrew"));
        if (getManyRetry) {
            methods.add(MethodWeave.methods("(I)", "getMany").withArguments().onThrow("getManyThrew"));
        }
        return new TypeWeave(CONNECTION, JedisHooks.class, methods.toArray(new MethodWeave[0]));
    }

    /** The send funnel of a generation: {@code sendCommand} with these parameters, its throw hook named so. */
    public static MethodWeave send(String argumentsDescriptor, String onThrow) {
        return MethodWeave.methods(argumentsDescriptor, "sendCommand").fields("socket").withArguments()
                .enter("sendEnter", Enter.NONE).onThrow(onThrow);
    }

    /** 2.x/3.x: {@code JedisFactory}'s constructors, so a redirected pool selects the redirect's database. */
    public static TypeWeave poolFactory() {
        return new TypeWeave(POOL_FACTORY, JedisHooks.class,
                MethodWeave.methods("(", "<init>").onReturn("poolFactoryCreated"));
    }

    /** 3.3+: {@code DefaultJedisSocketFactory#createSocket()} bounded by connect-timeout. */
    public static TypeWeave socketFactory() {
        return new TypeWeave(SOCKET_FACTORY, JedisHooks.class, MethodWeave.methods("()", "createSocket")
                .fields("connectionTimeout").enter("createSocketEnter", Enter.NONE));
    }
}
