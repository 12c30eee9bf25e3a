package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.engine.resp.RespRequest;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.Endpoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSocketTest {

    private static byte[][] argv(String... a) {
        byte[][] r = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    @Test
    void parsesWhatJedisWritesAndRejectsTheRest() {
        byte[] set = RespRequest.encode(argv("SET", "k", "v\r\n"));
        assertThat(new String(set, StandardCharsets.UTF_8)).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n");
        int[] end = new int[1];
        byte[][] parsed = RespRequest.parse(set, 0, set.length, end);
        assertThat(parsed.length).isEqualTo(3);
        assertThat(new String(parsed[0], StandardCharsets.UTF_8)).isEqualTo("SET");
        assertThat(new String(parsed[2], StandardCharsets.UTF_8)).isEqualTo("v\r\n");
        assertThat(end[0]).isEqualTo(set.length);
        for (int cut = 0; cut < set.length; cut++) { // incomplete: nothing yet
            assertThat(RespRequest.parse(set, 0, cut, end)).isNull();
        }
        byte[] junk = "GET k\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(RespRequest.parse(junk, 0, junk.length, end)).isNull();
        byte[] two = new byte[set.length * 2];
        System.arraycopy(set, 0, two, 0, set.length);
        System.arraycopy(set, 0, two, set.length, set.length);
        List<byte[][]> all = EngineSocket.parseAll(two, 5);
        assertThat(all).hasSize(2);
        assertThat(EngineSocket.parseAll(two, 1)).hasSize(1);
    }

    @Test
    void answersLikeARedisConnectionAndFailsUnservedCommandsByName() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EndpointGuard guard = Endpoints.guard("127.0.0.1", port);
        guard.onFailure(new ConnectException("Connection refused"), true);
        assertThat(guard.servesLocally()).isTrue();

        EngineSocket socket = new EngineSocket(guard, guard.newSession(), "127.0.0.1", port);
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.isBound()).isTrue();
        assertThat(socket.isClosed()).isFalse();
        assertThat(socket.getInputStream().available()).isZero();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();

        // a command arriving in two writes, as RedisOutputStream may flush it
        byte[] hello = RespRequest.encode(argv("HELLO", "3"));
        out.write(hello, 0, 5);
        assertThat(socket.idle()).isFalse();
        out.write(hello, 5, hello.length - 5);
        byte[] buf = new byte[128];
        int n = in.read(buf, 0, buf.length);
        // the handshake must not break: an engine without HELLO answers like a Redis without it
        assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("-ERR unknown command 'HELLO'\r\n");
        assertThat(socket.idle()).isTrue();

        out.write(RespRequest.encode(argv("SET", "k", "v")));
        assertThatThrownBy(() -> in.read(buf, 0, buf.length))
                .isInstanceOf(EngineSocket.NotServedException.class)
                .hasMessageContaining("SET")
                .satisfies(t -> assertThat(t.toString()).isEqualTo(t.getMessage()));

        assertThatThrownBy(() -> in.read(buf, 0, buf.length)).isInstanceOf(IOException.class)
                .hasMessageContaining("no reply pending");
        socket.close();
        assertThat(socket.isClosed()).isTrue();
        assertThat(socket.isConnected()).isFalse();
    }
}
