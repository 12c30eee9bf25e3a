package dev.redisresilience.agent.engine.command;

/**
 * Case-insensitive lookup of a command name given as raw bytes, without allocating: open addressing on
 * an ASCII-lower-cased hash.
 */
public final class CommandTable {
    private Command[] slots = new Command[512];
    private int count;

    public void add(Command c) {
        if ((count + 1) * 2 > slots.length) throw new IllegalStateException("command table full");
        int mask = slots.length - 1;
        int i = hash(c.lower, c.lower.length) & mask;
        while (slots[i] != null) {
            if (slots[i].name.equals(c.name)) throw new IllegalStateException("duplicate " + c.name);
            i = (i + 1) & mask;
        }
        slots[i] = c;
        count++;
    }

    public int size() { return count; }

    private static int lower(int b) { return (b >= 'A' && b <= 'Z') ? b + 32 : b; }

    private static int hash(byte[] s, int n) {
        int h = 0;
        for (int i = 0; i < n; i++) h = h * 31 + lower(s[i]);
        return h ^ (h >>> 15);
    }

    /** The command named {@code name} (any case), or null. */
    public Command lookup(byte[] name) {
        if (name == null || name.length == 0 || name.length > 32) return null;
        int mask = slots.length - 1;
        int i = hash(name, name.length) & mask;
        Command c;
        while ((c = slots[i]) != null) {
            if (c.lower.length == name.length && sameIgnoreCase(c.lower, name)) return c;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** True when {@code arg} equals the lower-case ASCII {@code word} ignoring case. */
    public static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) return false;
        for (int i = 0; i < arg.length; i++) if (lower(arg[i]) != word.charAt(i)) return false;
        return true;
    }

    private static boolean sameIgnoreCase(byte[] lowerName, byte[] s) {
        for (int i = 0; i < s.length; i++) if (lower(s[i]) != lowerName[i]) return false;
        return true;
    }
}
