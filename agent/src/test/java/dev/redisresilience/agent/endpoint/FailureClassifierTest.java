package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The written classification table, rule by rule, with exception shapes the clients really produce. */
class FailureClassifierTest {

    /** Stand-in for a client exception type (the core never sees client classes, only their shape). */
    static final class ClientException extends RuntimeException {
        ClientException(String m) { super(m); }
        ClientException(String m, Throwable cause) { super(m, cause); }
    }

    static FailureClass c(Throwable t, boolean connectionClass) {
        return FailureClassifier.classify(t, connectionClass);
    }

    @Test
    void connectRefusedAsCauseAsSuppressedAndBare() {
        // Jedis 2.9/3.x: cause
        assertThat(c(new ClientException("Failed to create socket.", new ConnectException("Connection refused")), true))
                .isEqualTo(FailureClass.OUTAGE);
        // Jedis 4+: suppressed, no cause; even without the adapter's verdict
        ClientException j4 = new ClientException("Failed to connect to any host resolved for DNS name.");
        j4.addSuppressed(new ConnectException("Connection refused"));
        assertThat(c(j4, false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ConnectException("Connection refused"), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(FailureClassifier.mayHaveReachedRedis(j4)).isFalse();
    }

    @Test
    void resetEofClosedAndTimeouts() {
        assertThat(c(new ClientException("x", new SocketException("Connection reset")), true)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("Unexpected end of stream."), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new EOFException(), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("x", new ClosedChannelException()), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("x", new SocketTimeoutException("Read timed out")), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("x", new SocketTimeoutException("connect timed out")), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new NoRouteToHostException(), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new UnknownHostException("redis.internal"), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("Connection closed"), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("Currently not connected. Commands are rejected."), false)).isEqualTo(FailureClass.OUTAGE);
        // a read that died after the request was written: fate unknown; a connect failure: known not sent
        assertThat(FailureClassifier.mayHaveReachedRedis(new ClientException("Unexpected end of stream."))).isTrue();
        assertThat(FailureClassifier.mayHaveReachedRedis(new ClientException("x", new SocketTimeoutException("connect timed out")))).isFalse();
    }

    @Test
    void adapterVerdictAloneIsAnOutage() {
        assertThat(c(new ClientException("something the client calls a connection failure"), true)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(null, true)).isEqualTo(FailureClass.OUTAGE);
    }

    @Test
    void loadingAndMasterdownAreOutages() {
        assertThat(c(new ClientException("LOADING Redis is loading the dataset in memory"), false)).isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."), false))
                .isEqualTo(FailureClass.OUTAGE);
        assertThat(c(new ClientException("-LOADING Redis is loading"), false)).isEqualTo(FailureClass.OUTAGE);
    }

    @Test
    void commandErrorsPassThrough() {
        assertThat(c(new ClientException("WRONGTYPE Operation against a key holding the wrong kind of value"), false))
                .isEqualTo(FailureClass.COMMAND_ERROR);
        assertThat(c(new ClientException("ERR syntax error"), false)).isEqualTo(FailureClass.COMMAND_ERROR);
        assertThat(c(new ClientException("OOM command not allowed when used memory > 'maxmemory'."), false))
                .isEqualTo(FailureClass.COMMAND_ERROR);
        assertThat(c(new ClientException("NOSCRIPT No matching script. Please use EVAL."), false)).isEqualTo(FailureClass.COMMAND_ERROR);
        assertThat(c(new ClientException("BUSY Redis is busy running a script."), false)).isEqualTo(FailureClass.COMMAND_ERROR);
        // a key name containing LOADING inside a longer word is not a LOADING reply
        assertThat(c(new ClientException("ERR unknown command 'PRELOADINGX'"), false)).isEqualTo(FailureClass.COMMAND_ERROR);
    }

    @Test
    void configurationFaultsEvenWhenWrappedAsConnectionFailures() {
        assertThat(c(new ClientException("NOAUTH Authentication required."), false)).isEqualTo(FailureClass.CONFIGURATION);
        assertThat(c(new ClientException("WRONGPASS invalid username-password pair or user is disabled."), false))
                .isEqualTo(FailureClass.CONFIGURATION);
        assertThat(c(new ClientException("READONLY You can't write against a read only replica."), false))
                .isEqualTo(FailureClass.CONFIGURATION);
        // Lettuce: RedisConnectionException("Unable to connect") caused by the handshake's WRONGPASS
        assertThat(c(new ClientException("Unable to connect to localhost:6380",
                new ClientException("WRONGPASS invalid username-password pair")), true)).isEqualTo(FailureClass.CONFIGURATION);
        // a TLS rejection (bad certificate) with no network cause is configuration
        assertThat(c(new ClientException("x", new SSLHandshakeException("PKIX path building failed")), true))
                .isEqualTo(FailureClass.CONFIGURATION);
        // but a TLS handshake cut by the peer is a network failure
        SSLHandshakeException cut = new SSLHandshakeException("Remote host terminated the handshake");
        cut.initCause(new EOFException("SSL peer shut down incorrectly"));
        assertThat(c(new ClientException("x", cut), true)).isEqualTo(FailureClass.OUTAGE);
    }

    @Test
    void otherFailuresAreNotOutagesAndCyclesAreSafe() {
        assertThat(c(new IllegalStateException("a bug"), false)).isEqualTo(FailureClass.OTHER);
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.addSuppressed(b); // cycle through suppressed
        assertThat(c(a, false)).isEqualTo(FailureClass.OTHER);
        assertThat(c(a, true)).isEqualTo(FailureClass.OUTAGE);
    }
}
