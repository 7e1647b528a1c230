package dev.switchboard.fanout;

import java.util.List;

import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import dev.switchboard.platform.ProblemMapper.Violation;

/**
 * The 400 problem for a bad query parameter checked by hand (repeated parameters, source names), shaped
 * like the one Bean Validation produces: {@code detail} and {@code violations[].field} name the parameter.
 */
public final class ParameterProblem {

    private ParameterProblem() {
    }

    public static ProblemException invalid(String parameter, String message) {
        return new ProblemException(problem(parameter, message));
    }

    /** The problem itself, for callers that add their own extension members. */
    public static Problem problem(String parameter, String message) {
        return Problem.of(400, "Bad Request", parameter + ": " + message)
                .with("violations", List.of(new Violation(parameter, message)));
    }
}
