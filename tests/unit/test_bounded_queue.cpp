#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "bounded_queue.hpp"

TEST_CASE("bounded queue: items are let in while their units fit the capacity, and always one") {
    pundit::BoundedQueue<std::string> queue(10);
    CHECK(queue.try_push("a", 6));
    CHECK_FALSE(queue.try_push("b", 6)); // 12 > 10: push() would wait
    CHECK(queue.try_push("c", 4));       // exactly 10
    CHECK_FALSE(queue.try_push("d", 1));
    CHECK(queue.pop() == "a");           // 4 held
    CHECK(queue.try_push("e", 6));
    CHECK(queue.pop() == "c");
    CHECK(queue.pop() == "e");
    // An item larger than the whole capacity goes into an empty queue, alone.
    CHECK(queue.try_push("huge", 1000));
    CHECK_FALSE(queue.try_push("f", 1));
    CHECK(queue.pop() == "huge");
    CHECK(queue.try_push("g", 1));
}

TEST_CASE("bounded queue: a waiting push goes on once a pop makes room, and close ends both sides") {
    pundit::BoundedQueue<int> queue(3);
    CHECK(queue.push(1, 3));
    bool pushed = false;
    std::thread pusher([&] { pushed = queue.push(2, 2); }); // waits until 1 is popped
    CHECK(queue.pop() == 1);
    pusher.join();
    CHECK(pushed);
    CHECK(queue.pop() == 2);
    queue.close();
    CHECK_FALSE(queue.push(3));
    CHECK_FALSE(queue.try_push(3));
    CHECK_FALSE(queue.pop().has_value());
}
