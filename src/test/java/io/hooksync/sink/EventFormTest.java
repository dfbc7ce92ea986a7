package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code mode} and {@code raw} parameters of {@code hooksync:events}: defaults, and clear errors naming the URI. */
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
}
