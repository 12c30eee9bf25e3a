package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the agent's real transformer in this JVM (unshaded Byte Buddy, advice from the test class path)
 * against stand-in classes under {@code redis.clients.testfake}, then resets it.
 */
class AgentInstallerTest {
    private static final String FAKE = "redis.clients.testfake.";

    static InstrumentationModule module(String name, List<String> required, List<String> absent,
                                        String typeName, String advice) {
        TypeInstrumentation ti = new TypeInstrumentation() {
            @Override
            public String typeName() {
                return typeName;
            }

            @Override
            public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                Map<ElementMatcher<? super MethodDescription>, String> m = new LinkedHashMap<>();
                m.put(named("value"), advice);
                return m;
            }
        };
        return new InstrumentationModule() {
            public String name() { return name; }
            public List<String> requiredClasses() { return required; }
            public List<String> absentClasses() { return absent; }
            public List<TypeInstrumentation> typeInstrumentations() { return List.of(ti); }
        };
    }

    static String value(String className) throws Exception {
        Class<?> c = Class.forName(className, true, AgentInstallerTest.class.getClassLoader());
        return (String) c.getMethod("value").invoke(c.getConstructor().newInstance());
    }

    @Test
    void installsAdviceOnQualifyingLoadersOnlyAndReportsErrorsOncePerModule() throws Exception {
        String advice = TestAdvice.class.getName();
        String marker = FAKE + "Marker";
        // loaded BEFORE install: must be retransformed (the attach case)
        assertThat(value(FAKE + "TargetLoaded")).isEqualTo("original");

        Instrumentation inst = ByteBuddyAgent.install();
        ClientTransformer t;
        try (AgentLog.Capture log = AgentLog.capture()) {
            t = AgentInstaller.install(inst, null, List.of(
                    module("mod-a", List.of(marker), List.of(FAKE + "DoesNotExist"), FAKE + "Target", advice),
                    module("mod-a2", List.of(marker), List.of(), FAKE + "TargetLoaded", advice),
                    module("mod-b", List.of(marker), List.of(marker), FAKE + "Target2", advice),
                    module("mod-c", List.of(), List.of(), OutsideTarget.class.getName(), advice),
                    module("mod-d", List.of(marker), List.of(), FAKE + "Target3", "no.such.Advice")));
            try {
                assertThat(value(FAKE + "Target")).as("qualifying loader, client package").isEqualTo("advised");
                assertThat(value(FAKE + "TargetLoaded")).as("already loaded: retransformed").isEqualTo("advised");
                assertThat(value(FAKE + "Target2")).as("absent class present: module skipped").isEqualTo("original");
                assertThat(value(OutsideTarget.class.getName())).as("outside client packages").isEqualTo("original");
                assertThat(value(FAKE + "Target3")).as("broken advice: class loads untouched").isEqualTo("original");
                assertThat(log.lines()).hasSize(1);
                assertThat(log.lines().get(0)).startsWith("[redis-resilience] ERROR instrumentation failure in module mod-d");
            } finally {
                t.reset(inst);
            }
        }
    }

    @Test
    void classLoaderMatcherChecksRequiredAndAbsentClassesWithoutLoadingThem(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path c = dir.resolve("redis/clients/jedis/CommandArguments.class");
        Files.createDirectories(c.getParent());
        Files.write(c, new byte[] {0}); // not even a class file: only presence matters
        try (URLClassLoader jedis4 = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
             URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            AgentInstaller.ModuleClassLoaderMatcher needs = new AgentInstaller.ModuleClassLoaderMatcher(
                    module("m", List.of("redis.clients.jedis.CommandArguments"), List.of(), "x", "y"));
            AgentInstaller.ModuleClassLoaderMatcher excludes = new AgentInstaller.ModuleClassLoaderMatcher(
                    module("m", List.of(), List.of("redis.clients.jedis.CommandArguments"), "x", "y"));
            assertThat(needs.matches(jedis4)).isTrue();
            assertThat(needs.matches(empty)).isFalse();
            assertThat(needs.matches(null)).as("bootstrap never qualifies").isFalse();
            assertThat(excludes.matches(jedis4)).isFalse();
            assertThat(excludes.matches(empty)).isTrue();
            Files.delete(c);
            assertThat(needs.matches(jedis4)).as("cached per loader").isTrue();
        }
        assertThat(new File(dir.toFile(), "x")).doesNotExist();
    }

    @Test
    void onlyClientClassesOfNonBootstrapLoadersReachByteBuddy() throws Exception {
        assertThat(ClientClassGate.isClientClass("redis/clients/jedis/Jedis")).isTrue();
        assertThat(ClientClassGate.isClientClass("io/lettuce/core/RedisClient")).isTrue();
        assertThat(ClientClassGate.isClientClass("io.lettuce.core.RedisClient")).isTrue();
        assertThat(ClientClassGate.isClientClass("java/lang/String")).isFalse();
        assertThat(ClientClassGate.isClientClass("redis/clientsX/Jedis")).isFalse();
        assertThat(ClientClassGate.isClientClass(null)).isFalse();
        // a module that would advise every type named as the class file says: only the name check stops it
        String outside = OutsideTarget.class.getName();
        ClientTransformer t = AgentInstaller.transformer(null, List.of(
                module("all", List.of(), List.of(), outside, TestAdvice.class.getName()),
                module("fake", List.of(), List.of(), FAKE + "Target", TestAdvice.class.getName())));
        ClassLoader app = getClass().getClassLoader();
        assertThat(t.transform(app, outside.replace('.', '/'), null, null, classFile(outside))).isNull();
        String target = FAKE + "Target";
        assertThat(t.transform(null, target.replace('.', '/'), null, null, classFile(target))).as("bootstrap").isNull();
        assertThat(t.transform(app, target.replace('.', '/'), null, null, classFile(target))).isNotNull();
    }

    @Test
    void wovenClassesNeedNoByteBuddyWhichWarmsUpWhenAnAdvisedFamilyPassesBy() throws Exception {
        String target = FAKE + "Target";
        InstrumentationModule woven = new InstrumentationModule() {
            public String name() { return "woven"; }
            public List<String> requiredClasses() { return List.of(); }
            public List<String> absentClasses() { return List.of(); }
            public List<TypeWeave> weaves() {
                return List.of(new TypeWeave(target, TypeWeaveTest.class,
                        MethodWeave.methods("()", "value").enter("skipAll", MethodWeave.Enter.STATE_OR_SKIP)));
            }
        };
        ClientTransformer t = AgentInstaller.transformer(null, List.of(woven,
                module("advised", List.of(), List.of(), "io.lettuce.testfake.Advised", TestAdvice.class.getName())));
        ClassLoader app = getClass().getClassLoader();
        byte[] bytes = t.transform(app, target.replace('.', '/'), null, null, classFile(target));
        assertThat(bytes).isNotNull();
        Class<?> c = new TypeWeaveTest.DefiningLoader(app).define(target, bytes);
        assertThat(c.getMethod("value").invoke(c.getConstructor().newInstance())).as("woven: skipped").isNull();
        assertThat(t.heldTypes()).containsExactlyInAnyOrder("redis/clients/testfake/Target", "io/lettuce/testfake/Advised");
        assertThat(t.byteBuddyBuilt()).as("no Byte Buddy for a woven class").isFalse();

        assertThat(t.early().transform(app, "io/lettuce/core/SomethingElse", null, null, new byte[0])).isNull();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!t.byteBuddyBuilt() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(t.byteBuddyBuilt()).as("warmed up once a class of the advised family passed").isTrue();
    }

    @Test
    void warmUpRunsAWholeTransformation() throws Exception {
        try (AgentLog.Capture log = AgentLog.capture()) {
            assertThat(AgentInstaller.transformer(null, List.of()).warmUp()).isTrue();
            assertThat(log.lines()).isEmpty();
        }
    }

    private static byte[] classFile(String className) throws Exception {
        try (java.io.InputStream in = AgentInstallerTest.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
