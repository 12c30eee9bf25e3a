package dev.redisresilience.agent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the agent's ONE {@link ClientTransformer} from the instrumentation modules and, for {@code agentmain}
 * (and tests), installs it:
 * <ul>
 *   <li>no field or method is added to a client class (a weave changes method bodies only), so
 *       already-loaded classes (attach) can be retransformed;</li>
 *   <li>every type outside {@code redis.clients.} and {@code io.lettuce.}, and every type of the bootstrap
 *       loader, is passed over by a name check, and so is every type no {@link TypeWeave} names;</li>
 *   <li>per module, the class-loader matcher ({@link ModuleClassLoaderMatcher}) is checked before the class file
 *       is read;</li>
 *   <li>the modules' {@link TypeWeave}s, then their early ones, each a plain ASM pass;</li>
 *   <li>{@link dev.redisresilience.agent.log.AgentLog} is bound to the class loader of each transformed
 *       client class; a transformation error is reported once per module and the class loads untransformed.</li>
 * </ul>
 */
public final class AgentInstaller {
    private AgentInstaller() { }

    /**
     * The transformer for {@code modules}, registered nowhere ({@code premain}: the {@link ClientClassGate}
     * hands client classes to it). Cheap: nothing is read or resolved before the first client class.
     */
    public static ClientTransformer transformer(List<InstrumentationModule> modules) {
        List<ClientTransformer.WeaveEntry> weaves = new ArrayList<ClientTransformer.WeaveEntry>();
        List<ClientTransformer.WeaveEntry> early = new ArrayList<ClientTransformer.WeaveEntry>();
        for (InstrumentationModule module : modules) {
            ModuleClassLoaderMatcher loaderMatcher = new ModuleClassLoaderMatcher(module);
            for (TypeWeave weave : module.weaves()) {
                weaves.add(new ClientTransformer.WeaveEntry(module.name(), loaderMatcher, weave));
            }
            for (TypeWeave weave : module.earlyWeaves()) {
                early.add(new ClientTransformer.WeaveEntry(module.name(), loaderMatcher, weave));
            }
        }
        return new ClientTransformer(weaves, early);
    }

    /** Installs the transformer for {@code modules} on {@code inst} and retransforms the client classes loaded. */
    public static ClientTransformer install(Instrumentation inst, List<InstrumentationModule> modules) {
        return install(inst, modules, true);
    }

    /**
     * As {@link #install(Instrumentation, List)}; {@code retransformLoaded} false skips the pass over the classes
     * already loaded. Undo with {@link ClientTransformer#reset}.
     */
    public static ClientTransformer install(Instrumentation inst, List<InstrumentationModule> modules,
                                            boolean retransformLoaded) {
        ClientTransformer transformer = transformer(modules);
        inst.addTransformer(transformer, true);
        if (retransformLoaded) {
            transformer.retransformLoaded(inst);
        }
        return transformer;
    }
}
