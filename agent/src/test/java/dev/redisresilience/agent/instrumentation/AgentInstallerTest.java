package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the agent's real transformer in this JVM (hooks from the test class path) against stand-in classes
 * under {@code redis.clients.testfake}, then resets it.
 */
class AgentInstallerTest {
    private static final String FAKE = "redis.clients.testfake.";

    /** A module weaving {@code typeName#value()}: its result replaced by the {@link TestHooks} hook {@code hook}. */
    static InstrumentationModule module(String name, List<String> required, List<String> absent,
                                        String typeName, String hook) {
        return new InstrumentationModule() {
            public String name() { return name; }
            public List<String> requiredClasses() { return required; }
            public List<String> absentClasses() { return absent; }
            public List<TypeWeave> weaves() {
                return List.of(new TypeWeave(typeName, TestHooks.class, MethodWeave.methods("()", "value").onReturnValue(hook)));
            }
        };
    }

    /** A module for every class loader with these weaves. */
    static InstrumentationModule module(String name, List<TypeWeave> weaves, List<TypeWeave> earlyWeaves) {
        return new InstrumentationModule() {
            public String name() { return name; }
            public List<String> requiredClasses() { return List.of(); }
            public List<String> absentClasses() { return List.of(); }
            public List<TypeWeave> weaves() { return weaves; }
            public List<TypeWeave> earlyWeaves() { return earlyWeaves; }
        };
    }

    static String value(String className) throws Exception {
        Class<?> c = Class.forName(className, true, AgentInstallerTest.class.getClassLoader());
        return (String) c.getMethod("value").invoke(c.getConstructor().newInstance());
    }

    @Test
    void weavesOnQualifyingLoadersOnlyAndReportsErrorsOncePerModule() throws Exception {
        String hook = "advised";
        String marker = FAKE + "Marker";
        // loaded BEFORE install: must be retransformed (the attach case)
        assertThat(value(FAKE + "TargetLoaded")).isEqualTo("original");

        Instrumentation inst = ByteBuddyAgent.install();
        ClientTransformer t;
        try (AgentLog.Capture log = AgentLog.capture()) {
            t = AgentInstaller.install(inst, List.of(
                    module("mod-a", List.of(marker), List.of(FAKE + "DoesNotExist"), FAKE + "Target", hook),
                    module("mod-a2", List.of(marker), List.of(), FAKE + "TargetLoaded", hook),
                    module("mod-b", List.of(marker), List.of(marker), FAKE + "Target2", hook),
                    module("mod-c", List.of(), List.of(), OutsideTarget.class.getName(), hook),
                    module("mod-d", List.of(marker), List.of(), FAKE + "Target3", "noSuchHook")));
            try {
                assertThat(value(FAKE + "Target")).as("qualifying loader, client package").isEqualTo("advised");
                assertThat(value(FAKE + "TargetLoaded")).as("already loaded: retransformed").isEqualTo("advised");
                assertThat(value(FAKE + "Target2")).as("absent class present: module skipped").isEqualTo("original");
                assertThat(value(OutsideTarget.class.getName())).as("outside client packages").isEqualTo("original");
                assertThat(value(FAKE + "Target3")).as("missing hook: class loads untouched").isEqualTo("original");
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
            ModuleClassLoaderMatcher needs = new ModuleClassLoaderMatcher(
                    module("m", List.of("redis.clients.jedis.CommandArguments"), List.of(), "x", "y"));
            ModuleClassLoaderMatcher excludes = new ModuleClassLoaderMatcher(
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
    void onlyClientClassesOfNonBootstrapLoadersAreRead() throws Exception {
        assertThat(ClientClassGate.isClientClass("redis/clients/jedis/Jedis")).isTrue();
        assertThat(ClientClassGate.isClientClass("io/lettuce/core/RedisClient")).isTrue();
        assertThat(ClientClassGate.isClientClass("io.lettuce.core.RedisClient")).isTrue();
        assertThat(ClientClassGate.isClientClass("java/lang/String")).isFalse();
        assertThat(ClientClassGate.isClientClass("redis/clientsX/Jedis")).isFalse();
        assertThat(ClientClassGate.isClientClass(null)).isFalse();
        // a module that would advise every type named as the class file says: only the name check stops it
        String outside = OutsideTarget.class.getName();
        ClientTransformer t = AgentInstaller.transformer(List.of(
                module("all", List.of(), List.of(), outside, "advised"),
                module("fake", List.of(), List.of(), FAKE + "Target", "advised")));
        ClassLoader app = getClass().getClassLoader();
        assertThat(t.transform(app, outside.replace('.', '/'), null, null, classFile(outside))).isNull();
        String target = FAKE + "Target";
        assertThat(t.transform(null, target.replace('.', '/'), null, null, classFile(target))).as("bootstrap").isNull();
        assertThat(t.transform(app, target.replace('.', '/'), null, null, classFile(target))).isNotNull();
    }

    @Test
    void aWeaveThatFindsPartOfWhatItExpectsAppliesThatPartAndSaysWhatIsMissingOnce() throws Exception {
        String target = FAKE + "Target";
        InstrumentationModule partial = module("partial", List.of(new TypeWeave(target, TestHooks.class,
                MethodWeave.methods("()", "value").onReturnValue("advised"),
                MethodWeave.methods("(I)", "value").onReturnValue("advised"))), List.of());
        ClientTransformer t = AgentInstaller.transformer(List.of(partial));
        ClassLoader app = getClass().getClassLoader();
        try (AgentLog.Capture log = AgentLog.capture()) {
            byte[] woven = t.transform(app, target.replace('.', '/'), null, null, classFile(target));
            t.transform(app, target.replace('.', '/'), null, null, classFile(target));
            Class<?> c = new TypeWeaveTest.DefiningLoader(app).define(target, woven);
            assertThat(c.getMethod("value").invoke(c.getConstructor().newInstance())).isEqualTo("advised");
            assertThat(log.lines()).containsExactly("[redis-resilience] WARN module partial: " + target
                    + " of this client version has no [value(I)]; the agent's hooks there are inactive"
                    + " (a client version the agent was not tested with?)");
        }
    }

    @Test
    void theEarlyTransformerAppliesEarlyWeavesOnlyAndHoldsBackTheOthers() throws Exception {
        String target = FAKE + "Target";
        InstrumentationModule both = module("both",
                List.of(new TypeWeave(target, TestHooks.class,
                        MethodWeave.methods("()", "value").enter("skipAll", MethodWeave.Enter.STATE_OR_SKIP))),
                List.of(new TypeWeave(FAKE + "Target2", TestHooks.class,
                        MethodWeave.methods("()", "value").onReturnValue("advised"))));
        ClientTransformer t = AgentInstaller.transformer(List.of(both));
        ClassLoader app = getClass().getClassLoader();
        assertThat(t.heldTypes()).containsExactly("redis/clients/testfake/Target");
        byte[] woven = t.transform(app, target.replace('.', '/'), null, null, classFile(target));
        Class<?> c = new TypeWeaveTest.DefiningLoader(app).define(target, woven);
        assertThat(c.getMethod("value").invoke(c.getConstructor().newInstance())).as("woven: skipped").isNull();
        ClientTransformer early = t.early();
        assertThat(early.transform(app, target.replace('.', '/'), null, null, classFile(target))).as("not early").isNull();
        assertThat(early.transform(app, "redis/clients/testfake/Target2", null, null, classFile(FAKE + "Target2")))
                .as("early weaves early").isNotNull();
    }

    private static byte[] classFile(String className) throws Exception {
        try (java.io.InputStream in = AgentInstallerTest.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
