package dev.switchboard.platform;

/** Thrown by services to answer with a problem; mapped to {@code application/problem+json}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final String retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, String retryAfterSeconds) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "Bad Request", detail));
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Problem.of(404, "Not Found", what + " " + id + " does not exist"));
    }
}
