// A blocking FIFO with a capacity, for the ingest pipeline's threads: the
// reader blocks when the writers fall behind, so memory stays bounded. The
// capacity is a number of units (items, or the bytes they hold) that the
// items in the queue may add up to; one item is always let in, however
// large, so that no item can block the queue for ever.
// Internal to the core library.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace pundit {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

    // Blocks while the queue holds something and `units` more would pass
    // the capacity. Returns false (dropping the item) once closed.
    bool push(T item, std::size_t units = 1) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return admits(units) || m_closed; });
        if (m_closed) return false;
        m_items.emplace_back(std::move(item), units);
        m_held += units;
        m_not_empty.notify_one();
        return true;
    }

    // push() that never blocks: false (keeping nothing) where push() would wait.
    bool try_push(T item, std::size_t units = 1) {
        std::lock_guard lock(m_mutex);
        if (m_closed || !admits(units)) return false;
        m_items.emplace_back(std::move(item), units);
        m_held += units;
        m_not_empty.notify_one();
        return true;
    }

    // Blocks while empty; nullopt when closed and drained.
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty()) return std::nullopt;
        T item = std::move(m_items.front().first);
        m_held -= m_items.front().second;
        m_items.pop_front();
        m_not_full.notify_one();
        return item;
    }

    // No more pushes; pops drain what is left.
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

private:
    bool admits(std::size_t units) const { return m_items.empty() || m_held + units <= m_capacity; }

    std::mutex m_mutex;
    std::condition_variable m_not_empty, m_not_full;
    std::deque<std::pair<T, std::size_t>> m_items; // each with its units
    std::size_t m_capacity;
    std::size_t m_held = 0; // the units of m_items
    bool m_closed = false;
};

} // namespace pundit
