package dev.redisresilience.agent.instrumentation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The list of instrumentation modules the agent installs. To add a module, add ONE line
 * {@code modules.add(new YourModule());} below (keep one line per module so merges stay trivial).
 * Modules must not overlap: for any client jar at most one module per client family may match
 * (see {@link InstrumentationModule}).
 */
public final class InstrumentationModules {
    private InstrumentationModules() { }

    /** A new unmodifiable list of every module, in installation order. */
    public static List<InstrumentationModule> all() {
        List<InstrumentationModule> modules = new ArrayList<InstrumentationModule>();
        // --- Jedis modules (instrumentation/jedis/) ---
        modules.add(new dev.redisresilience.agent.instrumentation.jedis.jedis2.Jedis2Module());
        modules.add(new dev.redisresilience.agent.instrumentation.jedis.jedis3.Jedis3Module());
        modules.add(new dev.redisresilience.agent.instrumentation.jedis.jedis4.Jedis4Module());
        // --- Lettuce modules (instrumentation/lettuce/) ---
        modules.add(new dev.redisresilience.agent.instrumentation.lettuce.LettuceInstrumentationModule());
        return Collections.unmodifiableList(modules);
    }
}
