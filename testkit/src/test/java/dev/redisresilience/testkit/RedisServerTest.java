package dev.redisresilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsAnswersAndStopsGracefully() {
        RedisServer redis = RedisServer.start();
        try (redis) {
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+.*");
            try (RespClient c = RespClient.connect(redis.host(), redis.port())) {
                assertThat(c.call("PING")).isEqualTo("PONG");
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
                assertThat(c.callText("GET", "k")).isEqualTo("v");
                assertThat(c.callText("CONFIG", "GET", "save")).isEqualTo(java.util.List.of("save", ""));
                assertThat(c.callText("CONFIG", "GET", "appendonly")).isEqualTo(java.util.List.of("appendonly", "no"));
            }
            long pid = redis.pid();
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThatThrownBy(() -> new Socket(redis.host(), redis.port()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void killResetsConnectionsAndRestartComesBackEmptyOnTheSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            long pid = redis.pid();
            RespClient c = redis.client();
            c.call("SET", "k", "v");
            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> c.call("PING")).isInstanceOf(UncheckedIOException.class);
            c.close();

            redis.restart();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(pid);
            try (RespClient c2 = redis.client()) {
                assertThat(c2.call("GET", "k")).isNull();
                assertThat(c2.call("DBSIZE")).isEqualTo(0L);
            }
            // restart of a running server works too
            redis.restart();
            try (RespClient c3 = redis.client()) {
                assertThat(c3.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void pauseFreezesTheServerAndResumeThaws() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();
            try (RespClient c = RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(2), Duration.ofMillis(300))) {
                // the kernel completes the connect, but nobody answers
                assertThatThrownBy(() -> c.call("PING"))
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(SocketTimeoutException.class);
            }
            assertThat(redis.isRunning()).isTrue();
            redis.resume();
            try (RespClient c = redis.client()) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void closeIsIdempotentAndKillsAPausedServer() {
        RedisServer redis = RedisServer.start();
        long pid = redis.pid();
        redis.pause();
        redis.close();
        redis.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(redis.isRunning()).isFalse();
    }

    @Test
    void requirepassIsPassedThrough() {
        try (RedisServer redis = RedisServer.builder().args("--requirepass", "s3cret").start()) {
            assertThat(redis.password()).isEqualTo("s3cret");
            try (RespClient c = RespClient.connect(redis.host(), redis.port())) {
                Object r = c.call("GET", "x");
                assertThat(r).isInstanceOf(RespError.class);
                assertThat(((RespError) r).code()).isEqualTo("NOAUTH");
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("OK");
            }
            try (RespClient c = redis.client()) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
            assertThat(redis.version()).isNotEmpty();
        }
    }

    @Test
    void fixedPort() {
        int port = RedisServer.freePort();
        try (RedisServer redis = RedisServer.builder().port(port).start()) {
            assertThat(redis.port()).isEqualTo(port);
            try (RespClient c = redis.client()) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void bundledBinaryFromEmbeddedRedisWorks() {
        try (RedisServer redis = RedisServer.builder().forceBundledBinary().start()) {
            assertThat(redis.binary()).isEqualTo(RedisServer.bundledBinary());
            assertThat(redis.binary().getFileName().toString()).startsWith(RedisServer.bundledResourceName());
            try (RespClient c = redis.client()) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
            assertThat(redis.version()).startsWith("6.2");
        }
    }

    @Test
    void startupFailureReportsTheLogTail() {
        assertThatThrownBy(() -> RedisServer.builder().args("--no-such-option", "1").startupTimeout(Duration.ofSeconds(5)).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-option");
    }
}
