#include "migrate/accel_conf.hpp"

#include <string_view>

namespace pptpx::migrate {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

class Reader {
 public:
  Reader(AccelConf& out, const std::function<std::optional<SourceText>(const std::string&)>& read)
      : out_(out), read_(read) {}

  void load(const SourceText& f, int depth) {
    std::string_view text = f.text;
    std::uint32_t n = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++n;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      while (!line.empty() && blank(line.back())) line.remove_suffix(1);
      while (!line.empty() && blank(line.front())) line.remove_prefix(1);
      if (line.empty() || line.front() == '#') continue;
      const std::string where = f.name + ":" + std::to_string(n);
      if (line.substr(0, 8) == "$include") {
        std::string_view path = line.substr(8);
        while (!path.empty() && blank(path.front())) path.remove_prefix(1);
        include(f, where, std::string(path), depth);
        continue;
      }
      if (line.front() == '[') {
        auto close = line.find(']');
        if (close == std::string_view::npos) {
          out_.errors.push_back(where + ": a section line without its closing ']'; write it as [name]");
          continue;
        }
        section_ = std::string(line.substr(1, close - 1));
        if (out_.sections.count(section_) == 0) out_.order.push_back(section_);
        out_.sections[section_];
        continue;
      }
      if (section_.empty()) {
        out_.errors.push_back(where + ": \"" + std::string(line) +
                              "\" is outside any section; put it under its [section] line");
        continue;
      }
      if (line.front() == '{' || line.front() == '}' || line.back() == '{') {
        out_.errors.push_back(where + ": nested option blocks ({ ... }) are not translated; flatten them first");
        continue;
      }
      AccelItem it{f.name, n, "", std::nullopt, std::string(line)};
      std::size_t i = 0;
      while (i < line.size() && !blank(line[i]) && line[i] != '=') ++i;
      it.name = std::string(line.substr(0, i));
      while (i < line.size() && blank(line[i])) ++i;
      if (i < line.size() && (line[i] == '=' || line[i] == ',')) {
        ++i;
        while (i < line.size() && blank(line[i])) ++i;
        std::string v(line.substr(i));
        if (v.size() > 3 && v.compare(0, 2, "${") == 0 && v.back() == '}') {
          const AccelItem* parent = out_.find(section_, v.substr(2, v.size() - 3));
          if (parent == nullptr || !parent->value) {
            out_.errors.push_back(where + ": " + v + " names no earlier option of [" + section_ +
                                  "]; write the value itself");
            continue;
          }
          v = *parent->value;
        }
        it.value = v;
      }
      out_.sections[section_].push_back(std::move(it));
    }
  }

 private:
  void include(const SourceText& from, const std::string& where, const std::string& path, int depth) {
    if (path.empty()) {
      out_.errors.push_back(where + ": $include names no file; write $include /path/to/file");
      return;
    }
    if (depth >= 8) {
      out_.errors.push_back(where + ": $include " + path + " nests more than 8 deep (a loop?); fix the includes");
      return;
    }
    // accel-ppp opens a relative path from its working directory; the including file's
    // directory is the useful reading of it here.
    std::string full = path;
    if (path.front() != '/') {
      auto slash = from.name.rfind('/');
      if (slash != std::string::npos) full = from.name.substr(0, slash + 1) + path;
    }
    auto f = read_ ? read_(full) : std::nullopt;
    if (!f) {
      out_.errors.push_back(where + ": cannot read the included file " + full + "; check the path");
      return;
    }
    load(*f, depth + 1);
  }

  AccelConf& out_;
  const std::function<std::optional<SourceText>(const std::string&)>& read_;
  std::string section_;
};

}  // namespace

const AccelItem* AccelConf::find(const std::string& section, const std::string& name) const {
  auto s = sections.find(section);
  if (s == sections.end()) return nullptr;
  for (const auto& it : s->second) {
    if (it.name == name) return &it;
  }
  return nullptr;
}

AccelConf parse_accel_conf(const SourceText& file,
                           const std::function<std::optional<SourceText>(const std::string&)>& read) {
  AccelConf out;
  Reader(out, read).load(file, 0);
  return out;
}

}  // namespace pptpx::migrate
