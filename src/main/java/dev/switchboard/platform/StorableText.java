package dev.switchboard.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text that PostgreSQL can store: no U+0000 (a {@code text} value cannot hold it, SQLSTATE 22021) and no
 * unpaired surrogate (it has no UTF-8 form). JSON can carry both ({@code "\u0000"}, {@code "\ud800"}),
 * so every text field and chat message is checked before it reaches the database.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StorableText.Validator.class)
public @interface StorableText {

    String message() default "must not contain U+0000 or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The rule itself, for text checked outside Bean Validation (chat frames, handshake names). */
    final class Rule {

        private Rule() {
        }

        /** What is wrong with the text, naming the first offending character and its position; null when storable. */
        public static String problem(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0) {
                    return "contains U+0000 (NUL) at index " + i;
                }
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return "contains an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at index " + i;
                }
            }
            return null;
        }
    }

    class Validator implements ConstraintValidator<StorableText, CharSequence> {
        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            String problem = value == null ? null : Rule.problem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must not contain U+0000 or unpaired surrogates (" + problem + ")")
                    .addConstraintViolation();
            return false;
        }
    }
}
