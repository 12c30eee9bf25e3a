package dev.redisresilience.agent.it;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static dev.redisresilience.agent.it.ChildRun.AGENT_JAR;
import static org.assertj.core.api.Assertions.assertThat;

/** Inspects the shipped jar, agent/target/redis-resilience-agent.jar. */
class AgentJarIT {
    private static final String VERSION = System.getProperty("project.version");

    @Test
    void jarExistsUnderItsStableName() {
        assertThat(AGENT_JAR).exists().isRegularFile();
        assertThat(AGENT_JAR.getFileName().toString()).isEqualTo("redis-resilience-agent.jar");
        assertThat(VERSION).isNotBlank();
    }

    @Test
    void everyClassIsJava8AndUnderOurPackage() throws Exception {
        List<String> tooNew = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                classes++;
                if (!e.getName().startsWith("dev/redisresilience/agent/")) {
                    foreign.add(e.getName());
                }
                try (DataInputStream in = new DataInputStream(jar.getInputStream(e))) {
                    assertThat(in.readInt()).as(e.getName()).isEqualTo(0xCAFEBABE);
                    in.readUnsignedShort(); // minor
                    int major = in.readUnsignedShort();
                    if (major > 52) {
                        tooNew.add(e.getName() + " (major " + major + ")");
                    }
                }
            }
        }
        assertThat(classes).as("our classes and the shaded ASM").isGreaterThan(200);
        assertThat(tooNew).as("class files newer than Java 8").isEmpty();
        assertThat(foreign).as("classes outside dev/redisresilience/agent/ (unrelocated or SLF4J)").isEmpty();
    }

    @Test
    void shadedDependenciesAreRelocatedAndNoSlf4jIsBundled() throws Exception {
        try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
            assertThat(jar.getEntry("dev/redisresilience/agent/shaded/asm/ClassReader.class")).isNotNull();
            assertThat(jar.getEntry("META-INF/licenses/ASM")).as("ASM's BSD license text ships with it").isNotNull();
            assertThat(Collections.list(jar.entries())).noneMatch(e -> e.getName().startsWith("org/slf4j/")
                    || e.getName().startsWith("org/objectweb/") || e.getName().startsWith("net/bytebuddy/")
                    || e.getName().startsWith("com/github/benmanes/")
                    || e.getName().startsWith("META-INF/services/org.slf4j") || e.getName().startsWith("META-INF/versions/")
                    || e.getName().endsWith("module-info.class"));
        }
    }

    @Test
    void manifestDeclaresTheAgentEntryPointsAndTheVersion() throws Exception {
        try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertThat(a.getValue("Premain-Class")).isEqualTo("dev.redisresilience.agent.ResilienceAgent");
            assertThat(a.getValue("Agent-Class")).isEqualTo("dev.redisresilience.agent.ResilienceAgent");
            assertThat(a.getValue("Main-Class")).isEqualTo("dev.redisresilience.agent.cli.AgentCli");
            assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(a.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(a.getValue("Implementation-Version")).isEqualTo(VERSION).doesNotContain("${");
            try (InputStream in = jar.getInputStream(jar.getEntry("dev/redisresilience/agent/version.properties"))) {
                Properties p = new Properties();
                p.load(in);
                assertThat(p.getProperty("version")).isEqualTo(VERSION);
            }
        }
    }

    @Test
    void commandLineVersionAndAttachToSomethingThatIsNoJvm() throws Exception {
        ChildRun v = ChildRun.run(ChildRun.JAVA, Map.of(), "-jar", AGENT_JAR.toString(), "version");
        assertThat(v.exitCode()).isZero();
        assertThat(v.out()).containsExactly("redis-resilience-agent " + VERSION);
        // the JDK waits attachTimeout (10 s by default) for a process that never answers
        ChildRun attach = ChildRun.run(ChildRun.JAVA, Map.of(), "-Dsun.tools.attach.attachTimeout=1000", "-jar",
                AGENT_JAR.toString(), "attach", "1");
        assertThat(attach.exitCode()).isEqualTo(1);
        assertThat(attach.err()).anyMatch(l -> l.contains("cannot attach to 1"));
    }
}
