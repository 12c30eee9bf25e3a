package dev.redisresilience.agent.instrumentation;

import java.util.Collections;
import java.util.List;

/**
 * One client library version range (e.g. "jedis-4": Jedis 4.0 and later). Which module applies to a
 * class loader is decided by which classes exist there ({@link #requiredClasses()} all present,
 * {@link #absentClasses()} all absent), never by version strings. Modules overlap nowhere: for any
 * client jar at most one module of a client family matches.
 */
public interface InstrumentationModule {

    /** Short stable name used in log lines and failure reports, e.g. {@code jedis-4}. */
    String name();

    /** Binary class names (e.g. {@code redis.clients.jedis.CommandArguments}) that must all be loadable. */
    List<String> requiredClasses();

    /** Binary class names that must all be absent. */
    List<String> absentClasses();

    /** What is matched and which hooks are woven in there. */
    List<TypeWeave> weaves();

    /**
     * Weaves whose hooks only record what the application did (they act on nothing, so they need no started
     * runtime): applied as soon as their class loads, also while the agent is still starting.
     */
    default List<TypeWeave> earlyWeaves() {
        return Collections.emptyList();
    }
}
