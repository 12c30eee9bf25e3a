package dev.redisresilience.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineWarmUpTest {
    @Test
    void servesEveryCommandOfItsMixAndLeavesNothingBehind() {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(100_000, 64L << 20));
        int served = EngineWarmUp.runMix(engine, 40);
        assertThat(served).as("every command of the mix is one the engine serves").isEqualTo(40 * 30);
        assertThat(engine.totals()).as("entries and bytes after the warm-up").containsExactly(0L, 0L);
        assertThat(engine.stats(EngineWarmUp.KEYSPACE).entries()).isZero();
    }
}
