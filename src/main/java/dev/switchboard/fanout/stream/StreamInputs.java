package dev.switchboard.fanout.stream;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.fanout.ParameterProblem;

/**
 * Checks of repeated query parameters. Scalar parameters use Bean Validation; list elements are checked
 * here so that the problem names the query parameter itself (and not a list element path).
 */
final class StreamInputs {

    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_NAMES = 50;
    static final int MAX_COUNTDOWNS = 20;
    static final int MAX_FROM = 3600;

    private StreamInputs() {
    }

    /** 1..{@value #MAX_NAMES} names of 1..{@value #MAX_NAME_LENGTH} characters, not blank. */
    static List<String> names(String parameter, List<String> names) {
        if (names == null || names.isEmpty() || names.size() > MAX_NAMES) {
            throw ParameterProblem.invalid(parameter, "give 1 to " + MAX_NAMES + " values (got " + (names == null ? 0 : names.size()) + ")");
        }
        for (String name : names) {
            checkName(parameter, name);
        }
        return List.copyOf(names);
    }

    static String name(String parameter, String name) {
        checkName(parameter, name);
        return name;
    }

    /** {@code label:from} pairs, e.g. {@code Countdown 1:5}; the label may itself contain ':'. */
    static List<Countdowns.Spec> countdowns(String parameter, List<String> specs) {
        if (specs == null || specs.isEmpty() || specs.size() > MAX_COUNTDOWNS) {
            throw ParameterProblem.invalid(parameter, "give 1 to " + MAX_COUNTDOWNS + " countdowns as name:from (got "
                    + (specs == null ? 0 : specs.size()) + ")");
        }
        List<Countdowns.Spec> parsed = new ArrayList<>(specs.size());
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            String label = colon < 0 ? "" : spec.substring(0, colon);
            Integer from = colon < 0 ? null : parseFrom(spec.substring(colon + 1).trim());
            if (label.isBlank() || label.length() > MAX_NAME_LENGTH || from == null) {
                throw ParameterProblem.invalid(parameter, "'" + abbreviate(spec) + "' is not name:from with a name of 1 to "
                        + MAX_NAME_LENGTH + " characters and from between 1 and " + MAX_FROM);
            }
            parsed.add(new Countdowns.Spec(label, from));
        }
        return List.copyOf(parsed);
    }

    private static Integer parseFrom(String text) {
        try {
            int from = Integer.parseInt(text);
            return from >= 1 && from <= MAX_FROM ? from : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void checkName(String parameter, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw ParameterProblem.invalid(parameter, "each value must have 1 to " + MAX_NAME_LENGTH + " characters, not all blank"
                    + (name == null ? "" : " (got '" + abbreviate(name) + "')"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
