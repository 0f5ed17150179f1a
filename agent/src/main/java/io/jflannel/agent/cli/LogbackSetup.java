package io.jflannel.agent.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's first configurator (META-INF/services): our defaults (info, text) without looking for
 * XML files, which spares a CLI about 0.2 s of start-up. {@link Logging#configure} then applies the
 * flags.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.apply(context, "info", "text");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
