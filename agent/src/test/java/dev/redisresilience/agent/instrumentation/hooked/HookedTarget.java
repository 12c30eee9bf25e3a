package dev.redisresilience.agent.instrumentation.hooked;

/** What {@code TypeWeaveTest} gives return hooks: returns of every kind, several returns, a throw. */
public class HookedTarget {
    public String select(int index) {
        return "OK" + index;
    }

    public String auth(String user, String password) {
        if (user == null) {
            return "NOUSER";
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return "OK";
    }

    public long twice(long value, double factor, boolean flag) {
        return flag ? (long) (value * factor) * 2 : value;
    }

    public void quiet(char c) {
        if (c == 'x') {
            return;
        }
        Character.isLetter(c);
    }

    public String notHooked() {
        return "plain";
    }
}
