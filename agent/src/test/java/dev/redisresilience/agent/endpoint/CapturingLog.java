package dev.redisresilience.agent.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Records every line the endpoint layer logs. */
final class CapturingLog implements EndpointLogSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String message) { lines.add("INFO " + message); }

    @Override
    public synchronized void warn(String message) { lines.add("WARN " + message); }

    @Override
    public synchronized void error(String message) { lines.add("ERROR " + message); }

    synchronized List<String> all() { return new ArrayList<>(lines); }

    synchronized List<String> containing(String s) {
        return lines.stream().filter(l -> l.contains(s)).collect(Collectors.toList());
    }
}
