package io.jflannel.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging for jflanneld and jflanctl (logback, configured here rather than by a file): one line per
 * event on stderr, as text or as JSON (--log-format json, one object per line for log collectors).
 * Libraries (Netty, gRPC, Vert.x, jetcd) only say warnings unless --log-level debug.
 */
public final class Logging {
  /** The levels --log-level takes. */
  public static final List<String> LEVELS = List.of("error", "warn", "info", "debug");

  /** The formats --log-format takes. */
  public static final List<String> FORMATS = List.of("text", "json");

  private static final List<String> CHATTY = List.of("io.netty", "io.grpc", "io.vertx", "io.etcd");

  private Logging() {}

  /** Checks the flag values; throws a one-line usage error naming the flag. */
  public static void check(String level, String format) {
    if (!LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "--log-level " + level + ": choose " + String.join(", ", LEVELS));
    }
    if (!FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("--log-format " + format + ": choose text or json");
    }
  }

  /**
   * Replaces any logging set-up with ours, and routes java.util.logging (gRPC's) through it, so
   * that every line on stderr has one format.
   */
  public static void configure(String level, String format) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    apply(ctx, level, format);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /**
   * No logging at all (the CLI prints its own one-line errors): SLF4J's and java.util.logging's.
   */
  public static void silence() {
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    java.util.logging.LogManager.getLogManager().reset();
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
  }

  /** Sets up {@code ctx}: one console appender on stderr, the given level, quiet libraries. */
  static void apply(LoggerContext ctx, String level, String format) {
    Encoder<ILoggingEvent> encoder;
    if (format.equalsIgnoreCase("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMDC(false);
      json.setWithKVPList(false);
      json.setWithMarkers(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{HH:mm:ss.SSS} [%thread] %-5level %logger{0} - %msg%n");
      encoder = text;
    }
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
    rootLevel(ctx, Level.toLevel(level, Level.INFO));
    // gRPC asks for SO_KEEPALIVE on every accepted connection; a unix socket has none, and Netty
    // warns about it once per connection of jflanctl
    ctx.getLogger("io.netty.bootstrap.ServerBootstrap").setLevel(Level.ERROR);
  }

  /**
   * The agent's level ({@code --log-level}, {@code jflanctl log-level LEVEL}): the root logger's;
   * the libraries stay at warn, or info when the agent debugs (java.util.logging's, gRPC's, too).
   */
  static void rootLevel(LoggerContext ctx, Level l) {
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(l);
    Level libraries = l.isGreaterOrEqual(Level.WARN) ? l : Level.WARN;
    if (l.toInt() <= Level.DEBUG_INT) {
      libraries = Level.INFO;
    }
    for (String chatty : CHATTY) {
      ctx.getLogger(chatty).setLevel(libraries);
    }
    java.util.logging.Logger.getLogger("")
        .setLevel(
            l.toInt() <= Level.DEBUG_INT
                ? java.util.logging.Level.INFO
                : java.util.logging.Level.WARNING);
  }
}
