package io.jflannel.lease.etcd;

import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.LeaseStoreException.Reason;
import io.jflannel.lease.RegistryObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs etcd calls with a deadline per attempt, a retry on transient failures, and a circuit
 * breaker; maps failures to {@link LeaseStoreException} with the operation's name.
 */
final class EtcdCalls {
  private final Duration timeout;
  private final Retry retry;
  private final CircuitBreaker breaker;
  private volatile RegistryObserver observer = RegistryObserver.NONE;

  EtcdCalls(Duration timeout, int attempts) {
    this.timeout = timeout;
    this.retry =
        Retry.of(
            "etcd",
            RetryConfig.custom()
                .maxAttempts(Math.max(1, attempts))
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0))
                .retryOnException(EtcdCalls::transientFailure)
                .failAfterMaxAttempts(false)
                .build());
    this.breaker =
        CircuitBreaker.of(
            "etcd",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(EtcdCalls::transientFailure)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            e -> observer.retry(e.getName(), e.getNumberOfRetryAttempts(), e.getLastThrowable()));
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                observer.circuitState(
                    e.getStateTransition().getFromState().name(),
                    e.getStateTransition().getToState().name()));
  }

  void setObserver(RegistryObserver o) {
    observer = o;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  /** etcd answered a probe: let calls through again at once instead of after the open wait. */
  void healthy() {
    if (breaker.getState() != CircuitBreaker.State.CLOSED) {
      breaker.transitionToClosedState();
    }
  }

  Retry retry() {
    return retry;
  }

  /** Runs {@code call} through breaker and retry; {@code what} names it in errors ("put /a/b"). */
  <T> T run(String what, Supplier<CompletableFuture<T>> call) {
    Supplier<T> attempt = CircuitBreaker.decorateSupplier(breaker, () -> await(what, call.get()));
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      T result = Retry.decorateSupplier(retry, attempt).get();
      ok = true;
      return result;
    } catch (CallNotPermittedException e) {
      LeaseStoreException ex =
          new LeaseStoreException(
              Reason.UNAVAILABLE, what + ": etcd circuit breaker is open (recent calls failed)", e);
      observer.error(what, ex);
      throw ex;
    } catch (LeaseStoreException e) {
      observer.error(what, e);
      throw e;
    } finally {
      observer.request(operation(what), System.nanoTime() - t0, ok);
    }
  }

  /** The operation of a call's description: its first word ("get /a/b" -> "get"). */
  static String operation(String what) {
    int sp = what.indexOf(' ');
    return sp < 0 ? what : what.substring(0, sp);
  }

  private <T> T await(String what, CompletableFuture<T> f) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new LeaseStoreException(
          Reason.UNAVAILABLE,
          what + ": no answer from etcd within " + timeout.toMillis() + " ms",
          e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new LeaseStoreException(Reason.UNAVAILABLE, what + ": interrupted", e);
    } catch (ExecutionException e) {
      throw translate(what, e.getCause());
    }
  }

  static LeaseStoreException translate(String what, Throwable t) {
    if (t instanceof LeaseStoreException l) {
      return l;
    }
    if (t instanceof ClosedClientException) { // a reconnect replaced the client mid-call
      return new LeaseStoreException(Reason.UNAVAILABLE, what + ": etcd connection replaced", t);
    }
    Status.Code code = null;
    if (t instanceof EtcdException e) {
      code = Status.Code.valueOf(e.getErrorCode().name());
    } else if (t instanceof StatusRuntimeException s) {
      code = s.getStatus().getCode();
    }
    Reason reason =
        switch (code == null ? Status.Code.UNKNOWN : code) {
          case PERMISSION_DENIED,
                  UNAUTHENTICATED,
                  INVALID_ARGUMENT,
                  FAILED_PRECONDITION,
                  OUT_OF_RANGE,
                  NOT_FOUND ->
              Reason.REJECTED;
          default -> Reason.UNAVAILABLE;
        };
    StringBuilder msg =
        new StringBuilder(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !msg.toString().contains(c.getMessage())) {
        msg.append(": ").append(c.getMessage());
      }
    }
    if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
      msg.append(" (etcd rejected the credentials: check --etcd-username and --etcd-password)");
    }
    return new LeaseStoreException(reason, what + ": " + msg, t);
  }

  private static boolean transientFailure(Throwable t) {
    return t instanceof LeaseStoreException l && l.reason() == Reason.UNAVAILABLE;
  }
}
