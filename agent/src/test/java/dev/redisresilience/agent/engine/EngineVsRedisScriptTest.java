package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the scripted command list in {@code engine-script.txt} against a private redis-server and the
 * engine, in RESP2 and RESP3, and requires identical replies. Line prefixes: {@code ~} compare the
 * top-level elements as a multiset (Redis leaves the order undefined), {@code !} run on both but do not
 * compare, {@code #} comment. (The seeded random differential oracle lives in engine/oracle.)
 */
@Timeout(120)
class EngineVsRedisScriptTest {
    static RespTestClient.Server server;

    @BeforeAll
    static void start() throws Exception {
        server = new RespTestClient.Server();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void resp2() throws Exception {
        runScript(2);
    }

    @Test
    void resp3() throws Exception {
        runScript(3);
    }

    private void runScript(int proto) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("engine-script.txt"), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) lines.add(l);
        }
        FallbackEngine engine = new FallbackEngine(new EngineLimits(100_000, 64L << 20));
        EngineSession s = engine.openSession("127.0.0.1:" + server.port, ChangeFeed.NONE);
        List<String> diffs = new ArrayList<>();
        try (RespTestClient redis = new RespTestClient(server.port)) {
            redis.call(EngineTestSupport.argv("FLUSHALL"));
            if (proto == 3) {
                redis.call(EngineTestSupport.argv("HELLO", "3"));
                engine.execute(s, EngineTestSupport.argv("HELLO", "3"));
            }
            int n = 0;
            for (String line : lines) {
                n++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                boolean unordered = t.startsWith("~");
                boolean noCompare = t.startsWith("!");
                if (unordered || noCompare) t = t.substring(1).trim();
                byte[][] argv = EngineTestSupport.argv(split(t));
                byte[] expected = redis.call(argv);
                EngineReply got = engine.execute(s, argv);
                if (noCompare) continue;
                String e = EngineTestSupport.show(expected);
                String g = got.served() ? EngineTestSupport.show(got.resp()) : "NOTSERVED " + got.notServedReason();
                if (unordered) { e = canon(expected); g = got.served() ? canon(got.resp()) : g; }
                if (!e.equals(g)) diffs.add("line " + n + " [" + t + "]\n   redis:  " + e + "\n   engine: " + g);
            }
        }
        assertThat(diffs).as("RESP" + proto + " differences").isEmpty();
    }

    /** Top-level elements sorted (for replies whose order Redis leaves undefined). */
    static String canon(byte[] resp) {
        String s = new String(resp, StandardCharsets.UTF_8);
        int first = s.indexOf("\r\n");
        String head = s.substring(0, first + 2);
        List<String> parts = new ArrayList<>();
        int i = first + 2;
        while (i < s.length()) {
            int end = skip(s, i);
            parts.add(s.substring(i, end));
            i = end;
        }
        Collections.sort(parts);
        return (head + String.join("", parts)).replace("\r\n", "|");
    }

    private static int skip(String s, int i) {
        char type = s.charAt(i);
        int eol = s.indexOf("\r\n", i);
        String line = s.substring(i + 1, eol);
        int next = eol + 2;
        switch (type) {
            case '$': case '=': {
                int n = Integer.parseInt(line);
                return n < 0 ? next : next + n + 2; // ASCII payloads in the script
            }
            case '*': case '~': {
                int n = Integer.parseInt(line);
                for (int k = 0; k < n; k++) next = skip(s, next);
                return next;
            }
            case '%': {
                int n = Integer.parseInt(line);
                for (int k = 0; k < 2 * n; k++) next = skip(s, next);
                return next;
            }
            default:
                return next;
        }
    }

    /** Splits on spaces; double quotes group (no escapes); "" is the empty string. */
    static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') { quoted = !quoted; any = true; continue; }
            if (ch == ' ' && !quoted) {
                if (any || cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
                any = false;
                continue;
            }
            cur.append(ch);
        }
        if (any || cur.length() > 0) out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
