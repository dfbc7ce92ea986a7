package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The {@code mode}, {@code raw} and {@code batchSize} parameters of {@code hooksync:events}: defaults, and clear errors
 * naming the URI.
 */
class EventFormTest {

    private static final String URI = "hooksync:events?source=github&mode=x";

    @Test
    void batchIsTheDefaultAndEventModeMayKeepRawBytes() {
        assertThat(EventForm.parse(URI, null, null)).isEqualTo(EventForm.BATCH);
        assertThat(EventForm.parse(URI, "event", null)).isEqualTo(new EventForm(true, false));
        assertThat(EventForm.parse(URI, "event", "true")).isEqualTo(new EventForm(true, true));
    }

    @Test
    void unknownValuesAndRawBatchesAreRefusedWithTheUri() {
        assertThatThrownBy(() -> EventForm.parse(URI, "events", null)).hasMessage(URI
                + ": mode must be batch or event (was 'events')");
        assertThatThrownBy(() -> EventForm.parse(URI, "event", "yes")).hasMessage(URI
                + ": raw must be true or false (was 'yes')");
        assertThatThrownBy(() -> EventForm.parse(URI, null, "true")).hasMessageContaining("raw=true needs mode=event");
    }

    @Test
    void aRouteBatchSizeIsANumberWithinTheSinksBounds() {
        assertThat(HooksyncComponent.batchSize(URI, null, 500)).isEqualTo(500);
        assertThat(HooksyncComponent.batchSize(URI, "1", 500)).isEqualTo(1);
        assertThat(HooksyncComponent.batchSize(URI, "5000", 500)).isEqualTo(5000);
        assertThatThrownBy(() -> HooksyncComponent.batchSize(URI, "0", 500)).hasMessage(URI
                + ": batchSize must be between 1 and 5000 (was 0)");
        assertThatThrownBy(() -> HooksyncComponent.batchSize(URI, "10000000", 500)).hasMessage(URI
                + ": batchSize must be between 1 and 5000 (was 10000000)");
        assertThatThrownBy(() -> HooksyncComponent.batchSize(URI, "many", 500)).hasMessage(URI
                + ": batchSize must be a number (was 'many')");
    }
}
