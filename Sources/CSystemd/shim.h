#ifndef LEADROUTER_CSYSTEMD_SHIM_H
#define LEADROUTER_CSYSTEMD_SHIM_H

// Without this, sd-journal.h turns sd_journal_sendv into a macro that adds CODE_FILE etc.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <time.h>

// CLOCK_MONOTONIC in microseconds, as systemd's MONOTONIC_USEC= expects.
static inline unsigned long long leadrouter_monotonic_usec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL;
}

#endif
