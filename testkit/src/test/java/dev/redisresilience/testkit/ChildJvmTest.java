package dev.redisresilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    @Test
    void capturesOutputExitCodePropertiesEnvAndArgs() {
        try (ChildJvm.Handle h = ChildJvm.builder()
                .classpath(ChildJvm.testClasspath())
                .sysProp("testkit.prop", "p1")
                .env("TESTKIT_ENV", "e1")
                .mainClass(EchoMain.class.getName())
                .args("a", "b", "exit=3")
                .timeout(Duration.ofSeconds(30))
                .start()) {
            ChildJvm.Result r = h.waitFor();
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdoutLines()).containsExactly("hello from child", "prop=p1", "env=e1", "args=a,b,exit=3", "agent=null");
            assertThat(r.stderrLines()).containsExactly("err line");
            assertThat(r.lines()).contains("hello from child", "err line");
        }
    }

    @Test
    void runsWithAJavaAgentAndTalksOverStdin(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("agent.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", TestAgent.class.getName());
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            // manifest only: the agent class comes from the classpath
        }
        try (ChildJvm.Handle h = ChildJvm.builder()
                .agent(jar, "k=v,x=y")
                .classpath(ChildJvm.testClasspath())
                .mainClass(EchoMain.class.getName())
                .args("stdin")
                .start()) {
            assertThat(h.awaitLine(l -> l.startsWith("agent="), Duration.ofSeconds(20))).isEqualTo("agent=k=v,x=y");
            h.stdin().println("ping");
            assertThat(h.awaitLine(l -> l.startsWith("read="), Duration.ofSeconds(20))).isEqualTo("read=ping");
            assertThat(h.waitFor().exitCode()).isZero();
            assertThat(h.command()).anyMatch(a -> a.startsWith("-javaagent:") && a.endsWith("agent.jar=k=v,x=y"));
        }
    }

    @Test
    void timeoutKillsTheProcessAndSaysSo() {
        try (ChildJvm.Handle h = ChildJvm.builder()
                .classpath(ChildJvm.testClasspath())
                .mainClass(EchoMain.class.getName())
                .args("sleep")
                .timeout(Duration.ofSeconds(3))
                .start()) {
            h.awaitLine("sleeping"::equals, Duration.ofSeconds(20));
            long t0 = System.nanoTime();
            assertThatThrownBy(h::waitFor).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("was killed").hasMessageContaining("sleeping");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            assertThat(h.isAlive()).isFalse();
        }
    }

    @Test
    void awaitLineFailsWithTheOutputWhenNothingMatches() {
        try (ChildJvm.Handle h = ChildJvm.builder()
                .classpath(ChildJvm.testClasspath())
                .mainClass(EchoMain.class.getName())
                .start()) {
            assertThatThrownBy(() -> h.awaitLine("never"::equals, Duration.ofSeconds(20)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("hello from child");
        }
    }

    @Test
    void closeKillsARunningChild() {
        ChildJvm.Handle h = ChildJvm.builder()
                .classpath(ChildJvm.testClasspath())
                .mainClass(EchoMain.class.getName())
                .args("sleep")
                .start();
        h.awaitLine("sleeping"::equals, Duration.ofSeconds(20));
        long pid = h.pid();
        h.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
