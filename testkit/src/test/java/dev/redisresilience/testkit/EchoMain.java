package dev.redisresilience.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** Child JVM main used by ChildJvmTest. */
public final class EchoMain {
    public static void main(String[] args) throws Exception {
        System.out.println("hello from child");
        System.err.println("err line");
        System.out.println("prop=" + System.getProperty("testkit.prop"));
        System.out.println("env=" + System.getenv("TESTKIT_ENV"));
        System.out.println("args=" + String.join(",", args));
        System.out.println("agent=" + System.getProperty("testkit.agent.args"));
        for (String a : args) {
            if (a.equals("stdin")) {
                BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
                System.out.println("read=" + r.readLine());
            }
            if (a.equals("sleep")) {
                System.out.println("sleeping");
                Thread.sleep(60_000);
            }
            if (a.startsWith("exit=")) {
                System.exit(Integer.parseInt(a.substring(5)));
            }
        }
    }
}
