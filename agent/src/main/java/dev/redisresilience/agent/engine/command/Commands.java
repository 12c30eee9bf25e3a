package dev.redisresilience.agent.engine.command;

/** Builds the table of every command the engine serves (transactions are added by the engine itself). */
public final class Commands {
    private Commands() { }

    public static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        StringCommands.register(t);
        KeyCommands.register(t);
        HashCommands.register(t);
        ListCommands.register(t);
        SetCommands.register(t);
        SortedSetCommands.register(t);
        return t;
    }
}
