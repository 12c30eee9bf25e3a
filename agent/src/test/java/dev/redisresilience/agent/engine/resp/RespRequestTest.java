package dev.redisresilience.agent.engine.resp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RespRequestTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesOneEncodedCommandIncludingBinaryAndEmptyArguments() {
        byte[][] argv = RespRequest.parse(b("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n\r\n\u00ff\u0000\r\n$0\r\n\r\n"));
        assertThat(argv).hasNumberOfRows(4);
        assertThat(new String(argv[0], StandardCharsets.US_ASCII)).isEqualTo("SET");
        assertThat(argv[2]).containsExactly('\r', '\n', (byte) 0xff, 0);
        assertThat(argv[3]).isEmpty();
        assertThat(RespRequest.commandName(argv)).isEqualTo("SET");
    }

    @Test
    void rejectsAnythingThatIsNotExactlyAnArrayOfBulkStrings() {
        assertThat(RespRequest.parse(null)).isNull();
        assertThat(RespRequest.parse(b("+OK\r\n"))).isNull();
        assertThat(RespRequest.parse(b("*2\r\n$3\r\nGET\r\n"))).isNull();
        assertThat(RespRequest.parse(b("*1\r\n$4\r\nPING\r\n+"))).as("trailing bytes").isNull();
        assertThat(RespRequest.parse(b("*1\r\n$10\r\nGET\r\n"))).isNull();
        assertThat(RespRequest.parse(b("*1\r\n:1\r\n"))).isNull();
        assertThat(RespRequest.parse(b("*x\r\n"))).isNull();
    }

    @Test
    void commandNamesAreUpperCased() {
        assertThat(RespRequest.commandName(RespRequest.parse(b("*1\r\n$4\r\nping\r\n")))).isEqualTo("PING");
        assertThat(RespRequest.commandName(null)).isEqualTo("?");
    }
}
