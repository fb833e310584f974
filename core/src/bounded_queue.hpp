// A blocking FIFO with a capacity, for the ingest pipeline's threads: the
// reader blocks when the writers fall behind, so memory stays bounded.
// Internal to the core library.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace pundit {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

    // Blocks while full. Returns false (dropping the item) once closed.
    bool push(T item) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_items.size() < m_capacity || m_closed; });
        if (m_closed) return false;
        m_items.push_back(std::move(item));
        m_not_empty.notify_one();
        return true;
    }

    // Blocks while empty; nullopt when closed and drained.
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty()) return std::nullopt;
        T item = std::move(m_items.front());
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
    std::mutex m_mutex;
    std::condition_variable m_not_empty, m_not_full;
    std::deque<T> m_items;
    std::size_t m_capacity;
    bool m_closed = false;
};

} // namespace pundit
