package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.chat.PresenceDiff.Change;

class PresenceDiffTest {

    private static final ChatUser ADA = new ChatUser("u-ada", "ada");
    private static final ChatUser BOB = new ChatUser("u-bob", "bob");
    private static final ChatUser CAROL = new ChatUser("u-carol", "carol");
    /** Another person who also calls herself ada. */
    private static final ChatUser OTHER_ADA = new ChatUser("u-ada-2", "ada");

    @Test
    void connectionsAreCountedPerUserNotPerName() {
        assertThat(PresenceDiff.count(List.of(ADA, BOB, ADA, OTHER_ADA))).isEqualTo(Map.of(ADA, 2, BOB, 1, OTHER_ADA, 1));
    }

    @Test
    void theChangesAreOneFramePerUserThatCameOrWent() {
        Map<ChatUser, Integer> told = Map.of(ADA, 2, BOB, 1);
        Map<ChatUser, Integer> now = Map.of(ADA, 1, CAROL, 2, OTHER_ADA, 1);
        assertThat(PresenceDiff.changes(told, now)).containsExactlyInAnyOrder(
                new Change("join", CAROL), new Change("join", OTHER_ADA), new Change("leave", BOB));
        List<Change> changes = PresenceDiff.changes(told, now);
        assertThat(changes.subList(0, 2)).allMatch(change -> change.type().equals("join"));
    }

    @Test
    void nothingChangedMeansNothingToSay() {
        assertThat(PresenceDiff.changes(Map.of(ADA, 2), Map.of(ADA, 1))).as("ada is still here").isEmpty();
    }

    @Test
    void aWelcomeListsEachUserOnceInTheTablesOrder() {
        // The table said ada, bob, ada (one row per connection); since then bob left and carol joined.
        List<ChatUser> snapshot = List.of(ADA, BOB, ADA);
        Map<ChatUser, Integer> told = Map.of(ADA, 2, CAROL, 1);
        assertThat(PresenceDiff.inOrder(snapshot, told)).containsExactly(ADA, CAROL);
        assertThat(PresenceDiff.inOrder(snapshot, PresenceDiff.count(snapshot))).containsExactly(ADA, BOB);
    }
}
