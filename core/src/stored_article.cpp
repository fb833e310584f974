#include "pundit/stored_article.hpp"

#include <cstdint>
#include <limits>
#include <string_view>

#include "pundit/date.hpp"
#include "pundit/error.hpp"

namespace pundit {
namespace {

// A date key that puts undated articles after every real date in
// ascending order.
constexpr std::string_view kUndatedLast = "99999999";

// Stored data layout (see stored_article.hpp): a format byte, the
// kArticleFields strings in table order, the entity rows, then, when any is
// set, a varint of flags (kTitleDerived; data written before there were flags
// ends after the rows). Integers are LEB128 varints; strings are a varint
// length and the bytes.
constexpr char kStoredFormat = '\x01';
constexpr std::uint64_t kTitleDerived = 1; // Article::title_derived

void put_varint(std::string& out, std::uint64_t n) {
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7f) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

void put_string(std::string& out, const std::string& s) {
    put_varint(out, s.size());
    out += s;
}

// Reads what put_varint/put_string wrote, refusing anything that runs past
// the end: stored data is read back from disk and may be damaged.
class StoredReader {
public:
    explicit StoredReader(const std::string& data) : m_data(data) {}

    std::uint64_t varint() {
        std::uint64_t n = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size()) malformed();
            const auto byte = static_cast<unsigned char>(m_data[m_pos++]);
            n |= static_cast<std::uint64_t>(byte & 0x7fu) << shift;
            if (!(byte & 0x80u)) return n;
        }
        malformed();
    }

    std::string string() {
        const std::uint64_t n = varint();
        if (n > m_data.size() - m_pos) malformed();
        std::string s = m_data.substr(m_pos, static_cast<std::size_t>(n));
        m_pos += static_cast<std::size_t>(n);
        return s;
    }

    char byte() {
        if (m_pos >= m_data.size()) malformed();
        return m_data[m_pos++];
    }

    bool at_end() const { return m_pos == m_data.size(); }

    [[noreturn]] static void malformed() {
        throw Error(ErrorKind::index, "stored article data is malformed; rebuild the index");
    }

private:
    const std::string& m_data;
    std::size_t m_pos = 0;
};

} // namespace

std::string oldest_first_key(const Article& article) {
    return (article.date.empty() ? std::string(kUndatedLast) : date_to_value(article.date)) + article.id;
}

std::string id_of_oldest_first_key(const std::string& key) {
    // Both the date and kUndatedLast are 8 characters.
    return key.size() > kUndatedLast.size() ? key.substr(kUndatedLast.size()) : std::string();
}

std::string serialise_article(const Article& article) {
    std::string out;
    std::size_t size = 16;
    for (const ArticleField& field : kArticleFields) size += (article.*field.member).size() + 2;
    out.reserve(size);
    out.push_back(kStoredFormat);
    for (const ArticleField& field : kArticleFields) put_string(out, article.*field.member);
    put_varint(out, article.entities.size());
    for (const EntityTag& tag : article.entities) {
        out.push_back(static_cast<char>(tag.kind));
        put_string(out, tag.id);
        put_string(out, tag.name);
        put_varint(out, tag.count);
        out.push_back(tag.main ? '\x01' : '\x00');
    }
    const std::uint64_t flags = article.title_derived ? kTitleDerived : std::uint64_t{0};
    if (flags != 0) put_varint(out, flags);
    return out;
}

Article deserialise_article(const std::string& data) {
    StoredReader in(data);
    if (in.byte() != kStoredFormat) StoredReader::malformed();
    Article article;
    for (const ArticleField& field : kArticleFields) article.*field.member = in.string();
    const std::uint64_t count = in.varint();
    if (count > data.size()) StoredReader::malformed(); // every row takes bytes
    article.entities.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < count; ++i) {
        EntityTag tag;
        const auto kind = static_cast<unsigned char>(in.byte());
        if (kind > static_cast<unsigned char>(EntityKind::organisation)) StoredReader::malformed();
        tag.kind = static_cast<EntityKind>(kind);
        tag.id = in.string();
        tag.name = in.string();
        const std::uint64_t mentions = in.varint();
        if (mentions > std::numeric_limits<unsigned>::max()) StoredReader::malformed();
        tag.count = static_cast<unsigned>(mentions);
        tag.main = in.byte() != '\x00';
        article.entities.push_back(std::move(tag));
    }
    if (!in.at_end()) {
        const std::uint64_t flags = in.varint();
        if (flags == 0 || (flags & ~kTitleDerived) != 0) StoredReader::malformed();
        article.title_derived = (flags & kTitleDerived) != 0;
    }
    if (!in.at_end()) StoredReader::malformed();
    return article;
}

} // namespace pundit
