package dev.redisresilience.outage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outage suite: each sample app, unmodified, in a child JVM under {@code -javaagent} (default settings plus
 * {@code reconcile=replay}), against a real redis-server behind a fault proxy, through one fault at a time.
 *
 * <p>Matrix (system property {@code outage.matrix}): {@code default} (the default build) runs every scenario for
 * jedis-latest and lettuce-latest-async and {@code refused} for jedis3-pool, lettuce5-sync and
 * spring-boot-lettuce: each app runs 8 s with a 2.5 s fault. {@code full} ({@code -Poutage-soak}) runs every app
 * through every scenario, 12 s with a 5 s fault.
 */
class OutageSuiteIT {
    static boolean full() {
        return "full".equals(System.getProperty("outage.matrix"));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> r = new ArrayList<>();
        for (SampleApp app : SampleApp.values()) {
            boolean everyScenario = full() || app == SampleApp.JEDIS_LATEST || app == SampleApp.LETTUCE_LATEST_ASYNC;
            EnumSet<Scenario> scenarios = everyScenario ? EnumSet.allOf(Scenario.class) : EnumSet.of(Scenario.REFUSED);
            for (Scenario s : scenarios) {
                r.add(Arguments.of(app, s));
            }
        }
        return r.stream();
    }

    static OutageRun.Spec spec(SampleApp app, Scenario scenario) {
        return new OutageRun.Spec().app(app).scenario(scenario).agent(true)
                .seconds(full() ? 12 : 8).outage(Duration.ofMillis(full() ? 5000 : 2500));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("matrix")
    void appSurvivesOutage(SampleApp app, Scenario scenario) {
        RunResult r = OutageRun.run(spec(app, scenario).agentArgs("reconcile=replay"));
        OutageAssertions.assertSurvived(r);
    }

    /**
     * reconcile=invalidate: while Redis is refused, the test snapshots (directly from Redis) the counter and the
     * 20 session hashes the app writes; the moment the UP line appears it reads them again. None may still hold
     * its outage-time value: a session's last-seen only ever grows, and the counter restarts from 0 after its DEL
     * (so a value at or above the old one is the old counter). Without invalidation, the app's first writes after
     * recovery (about 1 per 5 ms) cannot have rewritten all 21 keys in the few ms this read takes.
     */
    @ParameterizedTest(name = "{0} / refused / invalidate")
    @MethodSource("invalidateApps")
    void invalidateLeavesNoStaleKey(SampleApp app) {
        RunResult r = OutageRun.run(spec(app, Scenario.REFUSED).agentArgs("reconcile=invalidate").staleCheck(true));
        OutageAssertions.assertSurvived(r);
        assertThat(r.upLines().get(0)).contains("0 writes replayed").containsPattern("[1-9]\\d* keys invalidated");
        assertThat(r.staleChecked).as("keys checked; %s", r).isEqualTo(21);
        assertThat(r.staleKeys).as("keys still holding their outage-time value after UP; %s", r).isEmpty();
    }

    static Stream<SampleApp> invalidateApps() {
        return full() ? Stream.of(SampleApp.values()) : Stream.of(SampleApp.JEDIS_LATEST, SampleApp.LETTUCE_LATEST_ASYNC);
    }
}
