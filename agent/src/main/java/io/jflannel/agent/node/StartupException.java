package io.jflannel.agent.node;

/** A start-up error: one line for the operator, and exit 1 (jflanneld prints it on stderr). */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code message}: the one line, naming what failed and why. */
  public StartupException(String message) {
    super(message);
  }

  /** A start step that may throw anything. */
  @FunctionalInterface
  public interface Step<T> {
    /** Runs the step. */
    T get() throws Exception;
  }

  /** Runs a start step; any failure becomes one line for the operator naming {@code what}. */
  public static <T> T open(Step<T> s, String what) {
    try {
      return s.get();
    } catch (StartupException e) {
      throw e;
    } catch (Exception e) {
      throw new StartupException(what + ": " + e.getMessage());
    }
  }
}
