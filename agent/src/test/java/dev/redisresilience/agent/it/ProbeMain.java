package dev.redisresilience.agent.it;

/**
 * Run in a child JVM under the agent by {@link AgentStartupIT}: reports which loader defined the agent's core
 * classes and what configuration the agent published. Uses reflection only (the agent jar is not on this
 * class path as a compile dependency of the child).
 */
public final class ProbeMain {
    private ProbeMain() { }

    public static void main(String[] args) throws Exception {
        Class<?> config = Class.forName("dev.redisresilience.agent.config.AgentConfig");
        Class<?> log = Class.forName("dev.redisresilience.agent.log.AgentLog");
        Object current = config.getMethod("current").invoke(null);
        System.out.println("probe config-loader=" + config.getClassLoader());
        System.out.println("probe log-loader=" + log.getClassLoader());
        System.out.println("probe fallback=" + config.getMethod("fallback").invoke(current));
        System.out.println("probe nondefaults=" + config.getMethod("describeNonDefaults").invoke(current));
    }
}
