package dev.redisresilience.agent.cli;

import dev.redisresilience.agent.AgentVersion;
import dev.redisresilience.agent.ops.OpsMBeans;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Properties;

/**
 * {@code attach}, {@code status}, {@code list} and the runtime switches of the jar's command line (issue 9).
 * Uses {@code com.sun.tools.attach} by reflection (the agent is Java 8 bytecode): the {@code jdk.attach}
 * module on JDK 9+, {@code lib/tools.jar} on a JDK 8; a JRE without either gets a clear message.
 * {@code status} and the switches talk JMX to the target through the local connector address the attach API
 * starts ({@code VirtualMachine#startLocalManagementAgent}).
 */
final class Attach {
    /** System property the running agent sets in its JVM ({@code <version>} or {@code <version> (attached)}). */
    static final String ACTIVE_PROPERTY = "dev.redisresilience.agent.active";

    static final class Unavailable extends Exception {
        Unavailable(String m) { super(m); }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Class<?> vmClass;

    private Attach(PrintStream out, PrintStream err, Class<?> vmClass) {
        this.out = out;
        this.err = err;
        this.vmClass = vmClass;
    }

    static Attach create(PrintStream out, PrintStream err) throws Unavailable {
        Class<?> vm = null;
        try {
            vm = Class.forName("com.sun.tools.attach.VirtualMachine");
        } catch (Throwable notOnPath) {
            File tools = new File(System.getProperty("java.home"), "../lib/tools.jar"); // JDK 8
            if (tools.isFile()) {
                try {
                    URLClassLoader l = new URLClassLoader(new URL[] {tools.toURI().toURL()}, Attach.class.getClassLoader());
                    vm = Class.forName("com.sun.tools.attach.VirtualMachine", true, l);
                } catch (Throwable ignored) {
                    vm = null;
                }
            }
        }
        if (vm == null) {
            throw new Unavailable("the attach API (module jdk.attach) is not available in this Java runtime ("
                    + System.getProperty("java.home") + "); run the command with a full JDK (the same major version as "
                    + "the target is safest), or start the application with -javaagent instead");
        }
        return new Attach(out, err, vm);
    }

    // ------------------------------------------------------------------ list

    int list() throws Exception {
        List<?> vms = (List<?>) vmClass.getMethod("list").invoke(null);
        String self = selfPid();
        int n = 0;
        for (Object d : vms) {
            String id = (String) d.getClass().getMethod("id").invoke(d);
            if (id.equals(self)) {
                continue;
            }
            String name = (String) d.getClass().getMethod("displayName").invoke(d);
            out.println(id + "\t" + (name == null || name.isEmpty() ? "(no name)" : name));
            n++;
        }
        if (n == 0) {
            out.println("no attachable JVM found (only JVMs of the same user are listed)");
        }
        return 0;
    }

    // ------------------------------------------------------------------ attach

    int attach(String pid, String agentArgs, File agentJar) throws Exception {
        if (agentJar == null || !agentJar.isFile()) {
            err.println("redis-resilience-agent: cannot tell where the agent jar is; run 'java -jar redis-resilience-agent.jar attach ...'");
            return 2;
        }
        Object vm = connect(pid);
        try {
            String active = activeIn(vm);
            if (active != null) {
                err.println("redis-resilience-agent: the agent is already active in " + pid + " (" + active
                        + "); nothing done. Use 'status " + pid + "' or JMX to change its switches.");
                return 3;
            }
            try {
                vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, agentJar.getAbsolutePath(), agentArgs);
            } catch (InvocationTargetException e) {
                Throwable c = e.getCause();
                err.println("redis-resilience-agent: loading the agent into " + pid + " failed: " + c
                        + hint(c));
                return 1;
            }
            active = activeIn(vm);
            if (active == null) {
                err.println("redis-resilience-agent: the agent was loaded into " + pid + " but did not start (disabled, or an "
                        + "invalid setting: see the application's log for the [redis-resilience] line)");
                return 1;
            }
            out.println("redis-resilience-agent " + AgentVersion.get() + " attached to " + pid
                    + (agentArgs == null || agentArgs.isEmpty() ? "" : " with " + dev.redisresilience.agent.config.Redaction.redactUrls(agentArgs)));
            return 0;
        } finally {
            detach(vm);
        }
    }

    private static String hint(Throwable c) {
        String s = String.valueOf(c);
        if (s.contains("AgentLoadException") || s.contains("not supported") || s.contains("EnableDynamicAgentLoading")) {
            return " (the target may forbid dynamic agents: -XX:-EnableDynamicAgentLoading)";
        }
        return "";
    }

    // ------------------------------------------------------------------ status and switches

    int status(String pid) throws Exception {
        return withAgentMBean(pid, new JmxAction() {
            @Override
            public int run(MBeanServerConnection c, ObjectName agent) throws Exception {
                out.println("redis-resilience-agent " + c.getAttribute(agent, "Version") + " in " + pid);
                out.println("force-fallback: " + onOff(c.getAttribute(agent, "ForceFallback"))
                        + "   fallback: " + onOff(c.getAttribute(agent, "Fallback"))
                        + "   fallback entries: " + c.getAttribute(agent, "FallbackEntries")
                        + "   bytes: " + c.getAttribute(agent, "FallbackBytes"));
                String[] redirects = (String[]) c.getAttribute(agent, "Redirects");
                for (String r : redirects) {
                    out.println("redirect: " + r);
                }
                String[] endpoints = (String[]) c.getAttribute(agent, "Endpoints");
                if (endpoints.length == 0) {
                    out.println("endpoints: none met yet (an endpoint appears once a client has used it through the agent)");
                }
                for (String e : endpoints) {
                    out.println("endpoint: " + e);
                }
                return 0;
            }
        });
    }

    int invoke(String pid, final String operation, final Boolean arg) throws Exception {
        return withAgentMBean(pid, new JmxAction() {
            @Override
            public int run(MBeanServerConnection c, ObjectName agent) throws Exception {
                Object r = arg == null ? c.invoke(agent, operation, new Object[0], new String[0])
                        : c.invoke(agent, operation, new Object[] {arg}, new String[] {"boolean"});
                out.println(operation + (arg == null ? "" : " " + onOff(arg)) + " done in " + pid
                        + (r == null ? "" : ": " + r));
                return 0;
            }
        });
    }

    private static String onOff(Object b) {
        return Boolean.TRUE.equals(b) ? "on" : "off";
    }

    interface JmxAction {
        int run(MBeanServerConnection c, ObjectName agent) throws Exception;
    }

    private int withAgentMBean(String pid, JmxAction action) throws Exception {
        Object vm = connect(pid);
        String address;
        try {
            if (activeIn(vm) == null) {
                err.println("redis-resilience-agent: the agent is not active in " + pid + " (start it with -javaagent or 'attach " + pid + "')");
                return 3;
            }
            address = (String) vmClass.getMethod("startLocalManagementAgent").invoke(vm);
        } finally {
            detach(vm);
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        try {
            MBeanServerConnection c = connector.getMBeanServerConnection();
            ObjectName agent = new ObjectName(OpsMBeans.AGENT_NAME);
            long end = System.currentTimeMillis() + 10000;
            while (!c.isRegistered(agent) && System.currentTimeMillis() < end) {
                Thread.sleep(100); // registered a couple of seconds after start
            }
            if (!c.isRegistered(agent)) {
                err.println("redis-resilience-agent: " + OpsMBeans.AGENT_NAME + " is not registered in " + pid);
                return 3;
            }
            return action.run(c, agent);
        } finally {
            connector.close();
        }
    }

    // ------------------------------------------------------------------ plumbing

    private Object connect(String pid) throws Exception {
        if (pid.equals(selfPid())) {
            throw new Unavailable("cannot attach to this command's own JVM");
        }
        try {
            return vmClass.getMethod("attach", String.class).invoke(null, pid);
        } catch (InvocationTargetException e) {
            throw new Unavailable("cannot attach to " + pid + ": " + e.getCause()
                    + " (is it a running JVM of the same user? 'list' shows the candidates)");
        }
    }

    private String activeIn(Object vm) throws Exception {
        Method m = vmClass.getMethod("getSystemProperties");
        Properties p = (Properties) m.invoke(vm);
        return p.getProperty(ACTIVE_PROPERTY);
    }

    private void detach(Object vm) {
        try {
            vmClass.getMethod("detach").invoke(vm);
        } catch (Throwable ignored) {
            // best effort
        }
    }

    private static String selfPid() {
        String n = ManagementFactory.getRuntimeMXBean().getName();
        int at = n.indexOf('@');
        return at > 0 ? n.substring(0, at) : n;
    }
}
