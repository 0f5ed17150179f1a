package io.jflannel.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Log levels changed while the agent runs ({@code jflanctl log-level}): held in memory only, so a
 * restart is back at {@code --log-level}.
 */
public final class LogLevels {
  /** The levels a logger takes at runtime: --log-level's, and trace for one logger. */
  public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogLevels.class);

  /**
   * A change made.
   *
   * @param previous the logger's effective level before
   * @param note why the change may show nothing, or empty
   */
  public record Change(String previous, String note) {}

  private LogLevels() {}

  /**
   * Sets {@code logger}'s level ({@code ""}: the agent's, as --log-level).
   *
   * @throws IllegalArgumentException for a level not in {@link #LEVELS} or a malformed name
   */
  public static Change set(String level, String logger) {
    String l = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new IllegalArgumentException(
          "log level \"" + level + "\": choose " + String.join(", ", LEVELS));
    }
    if (!logger.isEmpty() && !logger.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
      throw new IllegalArgumentException(
          "logger \"" + logger + "\": want a class or package name such as io.jflannel.backend");
    }
    LoggerContext ctx = context();
    boolean root = logger.isEmpty() || logger.equalsIgnoreCase(org.slf4j.Logger.ROOT_LOGGER_NAME);
    String note = root || known(ctx, logger) ? "" : "no logger named " + logger + " has logged yet";
    Logger target = root ? ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) : ctx.getLogger(logger);
    String previous = target.getEffectiveLevel().toString().toLowerCase(Locale.ROOT);
    if (root) {
      Logging.rootLevel(ctx, Level.toLevel(l));
    } else {
      target.setLevel(Level.toLevel(l));
    }
    LOG.info(
        "log level of {} set to {} (was {}) by jflanctl; --log-level holds again after a restart",
        root ? "the agent" : logger,
        l,
        previous);
    return new Change(previous, note);
  }

  /** Loggers with a level of their own, the root first. */
  public static Map<String, String> current() {
    Map<String, String> out = new LinkedHashMap<>();
    List<Logger> loggers = new ArrayList<>(context().getLoggerList());
    for (Logger lg : loggers) {
      if (lg.getLevel() != null) {
        out.put(lg.getName(), lg.getLevel().toString().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** True when a logger of that name, or under that package, exists. */
  private static boolean known(LoggerContext ctx, String name) {
    return ctx.exists(name) != null
        || ctx.getLoggerList().stream().anyMatch(lg -> lg.getName().startsWith(name + "."));
  }

  private static LoggerContext context() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      throw new IllegalStateException("logging is not logback's: levels cannot change");
    }
    return ctx;
  }
}
