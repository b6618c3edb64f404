import Foundation

/// Reads address fields (From, To, Cc) into parties: "Name <addr>", bare "addr", "addr (Name)", lists.
enum EmailAddresses {
  /// Every mailbox in an address list, in order; groups ("Friends: a@x, b@y;") are flattened.
  ///
  /// Commas inside quoted names, comments and angle brackets do not split. Display names are unquoted and
  /// their RFC 2047 encoded words decoded; addresses are kept exactly as written.
  static func parties(_ field: String) -> [Party] {
    splitList(field).compactMap(party)
  }

  /// One mailbox, or nil for an empty item.
  static func party(_ item: String) -> Party? {
    let text = item.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return nil }
    if let open = lastIndexOutsideQuotes(of: "<", in: text) {
      let afterOpen = text[text.index(after: open)...]
      let address = (afterOpen.firstIndex(of: ">").map { afterOpen[..<$0] } ?? afterOpen)
        .trimmingCharacters(in: .whitespaces)
      let name = displayName(String(text[..<open]))
      return Party(name: name, address: address.isEmpty ? nil : address)
    }
    // A bare address, perhaps with the name in a comment after it: "anna@example.com (Anna Berg)".
    if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
      let comment = String(text[text.index(after: open)..<close])
      let address = (text[..<open] + text[text.index(after: close)...]).trimmingCharacters(in: .whitespaces)
      return Party(name: displayName(comment), address: address.isEmpty ? nil : address)
    }
    return Party(name: nil, address: text)
  }

  /// The display name unquoted and decoded, or nil when there is none.
  private static func displayName(_ raw: String) -> String? {
    let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return nil }
    let decoded = EncodedWords.decode(MIMEParameterizedValue.unquote(trimmed))
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return decoded.isEmpty ? nil : decoded
  }

  /// The position of the last `mark` outside quotes, or nil.
  private static func lastIndexOutsideQuotes(of mark: Character, in text: String) -> String.Index? {
    var quoted = false
    var escaped = false
    var found: String.Index?
    for index in text.indices {
      let character = text[index]
      if escaped {
        escaped = false
      } else if character == "\\" && quoted {
        escaped = true
      } else if character == "\"" {
        quoted.toggle()
      } else if character == mark && !quoted {
        found = index
      }
    }
    return found
  }

  /// Splits an address list on commas outside quotes, comments and angle brackets, dropping group names.
  private static func splitList(_ field: String) -> [String] {
    var items: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    var commentDepth = 0
    var inAngle = false
    for character in field {
      if escaped {
        escaped = false
        current.append(character)
        continue
      }
      switch character {
      case "\\" where quoted || commentDepth > 0:
        escaped = true
      case "\"" where commentDepth == 0 && !inAngle:
        quoted.toggle()
      case "(" where !quoted:
        commentDepth += 1
      case ")" where !quoted && commentDepth > 0:
        commentDepth -= 1
      case "<" where !quoted && commentDepth == 0:
        inAngle = true
      case ">" where !quoted && commentDepth == 0:
        inAngle = false
      case "," where !quoted && commentDepth == 0 && !inAngle,
        ";" where !quoted && commentDepth == 0 && !inAngle:
        items.append(current)
        current = ""
        continue
      case ":" where !quoted && commentDepth == 0 && !inAngle:
        // A group name ("Friends:"); its members follow. Only when no address has begun in this item.
        if !current.contains("@") {
          current = ""
          continue
        }
      default:
        break
      }
      current.append(character)
    }
    items.append(current)
    return items
  }
}
