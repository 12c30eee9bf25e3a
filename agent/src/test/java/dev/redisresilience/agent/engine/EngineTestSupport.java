package dev.redisresilience.agent.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers: build argv from strings, render RESP for readable assertions. */
abstract class EngineTestSupport {
    protected final List<Change> changes = new ArrayList<>();
    protected FallbackEngine engine = new FallbackEngine(new EngineLimits(100_000, 64L << 20));
    protected EngineSession session = engine.openSession("localhost:6379", changes::add);

    static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return a;
    }

    /** Runs a command; returns the RESP reply with CRLF shown as "|" or "NOTSERVED: reason". */
    String run(String... args) {
        return run(session, args);
    }

    String run(EngineSession s, String... args) {
        EngineReply r = engine.execute(s, argv(args));
        if (!r.served()) return "NOTSERVED: " + r.notServedReason();
        return show(r.resp());
    }

    static String show(byte[] resp) {
        return new String(resp, StandardCharsets.UTF_8).replace("\r\n", "|");
    }

    static String str(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    List<String> replays() {
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : c.replayArgv()) { if (sb.length() > 0) sb.append(' '); sb.append(str(a)); }
            out.add(sb.toString());
        }
        return out;
    }
}
