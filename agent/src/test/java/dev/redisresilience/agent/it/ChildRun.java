package dev.redisresilience.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A finished child JVM: exit code and its stdout / stderr lines. Plain ProcessBuilder, 60 s timeout. */
record ChildRun(int exitCode, List<String> out, List<String> err) {

    static final Path AGENT_JAR = Paths.get(System.getProperty("agent.jar", "target/redis-resilience-agent.jar"));
    static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    static ChildRun run(String java, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("REDIS_RESILIENCE_") || k.startsWith("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        File outFile = Files.createTempFile("child", ".out").toFile();
        File errFile = Files.createTempFile("child", ".err").toFile();
        pb.redirectOutput(outFile).redirectError(errFile);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in 60 s: " + cmd);
            }
            return new ChildRun(p.exitValue(), Files.readAllLines(outFile.toPath(), StandardCharsets.UTF_8),
                    Files.readAllLines(errFile.toPath(), StandardCharsets.UTF_8));
        } finally {
            outFile.delete();
            errFile.delete();
        }
    }

    /** Our lines (stdout and stderr). */
    List<String> ours() {
        List<String> all = new ArrayList<>(err);
        all.addAll(out);
        return all.stream().filter(l -> l.startsWith("[redis-resilience]")).collect(Collectors.toList());
    }

    String all() {
        return String.join("\n", out) + "\n" + String.join("\n", err);
    }
}
