package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.chat.PresenceDiff.Change;

class PresenceDiffTest {

    @Test
    void namesAreCountedPerConnection() {
        assertThat(PresenceDiff.count(List.of("ada", "bob", "ada"))).isEqualTo(Map.of("ada", 2, "bob", 1));
    }

    @Test
    void theChangesAreOneFramePerConnectionJoinsFirst() {
        Map<String, Integer> told = Map.of("ada", 2, "bob", 1);
        Map<String, Integer> now = Map.of("ada", 1, "carol", 2);
        assertThat(PresenceDiff.changes(told, now)).containsExactlyInAnyOrder(
                new Change("join", "carol"), new Change("join", "carol"),
                new Change("leave", "ada"), new Change("leave", "bob"));
        List<Change> changes = PresenceDiff.changes(told, now);
        assertThat(changes.subList(0, 2)).allMatch(change -> change.type().equals("join"));
    }

    @Test
    void nothingChangedMeansNothingToSay() {
        Map<String, Integer> same = Map.of("ada", 2);
        assertThat(PresenceDiff.changes(same, same)).isEmpty();
    }

    @Test
    void aWelcomeListsWhatTheRoomWasToldInTheTablesOrder() {
        // The table said ada, bob, ada; since then bob left and carol joined (heard as frames).
        List<String> snapshot = List.of("ada", "bob", "ada");
        Map<String, Integer> told = Map.of("ada", 2, "carol", 1);
        assertThat(PresenceDiff.inOrder(snapshot, told)).containsExactly("ada", "ada", "carol");
        assertThat(PresenceDiff.inOrder(snapshot, PresenceDiff.count(snapshot))).isEqualTo(snapshot);
    }
}
