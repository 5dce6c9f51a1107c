package dev.loralab.tests.reliability.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM (all loggers, from {@code level} up) while open, through an
 * appender on the root logger; the root level is lowered to {@code level} meanwhile and restored
 * on {@link #close()}.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger root;
  private final Level previous;
  private final List<ILoggingEvent> events = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender;
  private final List<ch.qos.logback.core.Appender<ILoggingEvent>> muted = new ArrayList<>();

  private LogCapture(Level level, boolean quiet) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    this.root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    this.previous = root.getLevel();
    this.appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing();
        synchronized (events) {
          events.add(e);
        }
      }
    };
    appender.setContext(ctx);
    appender.setName("test-capture");
    appender.start();
    if (quiet) {
      root.iteratorForAppenders().forEachRemaining(muted::add);
      muted.forEach(root::detachAppender);
    }
    root.addAppender(appender);
    if (level.levelInt < previous.levelInt) {
      root.setLevel(level);
    }
  }

  /** Starts capturing events at {@code level} and above. */
  public static LogCapture start(Level level) {
    return new LogCapture(level, false);
  }

  /** Starts capturing at {@code level}, with the root logger's other appenders detached meanwhile. */
  public static LogCapture startQuiet(Level level) {
    return new LogCapture(level, true);
  }

  /** The events captured so far. */
  public List<ILoggingEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The events at {@code level} or above that carry a throwable. */
  public List<ILoggingEvent> withThrowable(Level level) {
    return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level) && e.getThrowableProxy() != null)
        .toList();
  }

  /** Every captured event as text: logger, level, formatted message, throwables with stack traces. */
  public String text() {
    StringBuilder b = new StringBuilder();
    for (ILoggingEvent e : events()) {
      b.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage());
      e.getMDCPropertyMap().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      b.append('\n');
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          b.append("  ").append(s.getSTEAsString()).append('\n');
        }
      }
    }
    return b.toString();
  }

  /** A one-line summary of an event, for failure messages. */
  public static String describe(ILoggingEvent e) {
    IThrowableProxy t = e.getThrowableProxy();
    return e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
        + (t == null ? "" : " (" + t.getClassName() + ": " + t.getMessage() + ")");
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    muted.forEach(root::addAppender);
    root.setLevel(previous);
  }
}
