package dev.redisresilience.outage;

import dev.redisresilience.testkit.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The sample apps of {@code test-apps/}, run from their shaded jars {@code test-apps/<name>/target/<name>-app.jar}. */
public enum SampleApp {
    JEDIS3_POOL("jedis3-pool", true),
    JEDIS_LATEST("jedis-latest", true),
    LETTUCE5_SYNC("lettuce5-sync", false),
    LETTUCE_LATEST_ASYNC("lettuce-latest-async", false),
    SPRING_BOOT_LETTUCE("spring-boot-lettuce", false);

    private final String id;
    private final boolean jedis;

    SampleApp(String id, boolean jedis) {
        this.id = id;
        this.jedis = jedis;
    }

    public String id() {
        return id;
    }

    public boolean jedis() {
        return jedis;
    }

    public Path jar() {
        Path jar = projectRoot().resolve("test-apps").resolve(id).resolve("target").resolve(id + "-app.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it first (mvn -B package -DskipTests)");
        }
        return jar;
    }

    /** The repository root: system property {@code project.root}, else the parent of agent/target of the built jar. */
    public static Path projectRoot() {
        String p = System.getProperty("project.root");
        if (p != null && !p.isEmpty() && !p.contains("${")) {
            return Paths.get(p).toAbsolutePath();
        }
        return ChildJvm.builtAgentJar().toAbsolutePath().getParent().getParent().getParent();
    }

    public static SampleApp byId(String id) {
        for (SampleApp a : values()) {
            if (a.id.equals(id)) return a;
        }
        throw new IllegalArgumentException("unknown app " + id);
    }
}
