import Foundation

/// Decodes base64 as it streams past, keeping only the decoded bytes and at most three pending characters.
struct Base64StreamDecoder {
  private var bytes: [UInt8] = []
  private var quantum: UInt32 = 0
  private var pending = 0
  private var padding = 0
  private var valid = true
  /// The first few characters, to recognise the literal "null".
  private var prefix: [UInt8] = []
  private var characters = 0

  /// True when the value was empty or the literal "null".
  var isAbsent: Bool { characters == 0 || (characters == 4 && prefix == Array("null".utf8)) }

  /// Takes the next run of characters.
  mutating func feed(_ run: ArraySlice<UInt8>) {
    for byte in run {
      if characters < 5 { prefix.append(byte) }
      characters += 1
      guard valid else { continue }
      feed(byte)
    }
  }

  private mutating func feed(_ byte: UInt8) {
    let sextet: UInt32
    switch byte {
    case xmlASCII("A")...xmlASCII("Z"): sextet = UInt32(byte - xmlASCII("A"))
    case xmlASCII("a")...xmlASCII("z"): sextet = UInt32(byte - xmlASCII("a")) + 26
    case xmlASCII("0")...xmlASCII("9"): sextet = UInt32(byte - xmlASCII("0")) + 52
    case xmlASCII("+"): sextet = 62
    case xmlASCII("/"): sextet = 63
    case xmlASCII("="):
      padding += 1
      if pending < 2 || pending + padding > 4 { valid = false }
      return
    case 0x20, 0x0A, 0x0D, 0x09:
      return
    default:
      valid = false
      return
    }
    if padding > 0 {
      valid = false
      return
    }
    quantum = quantum << 6 | sextet
    pending += 1
    if pending == 4 {
      bytes.append(UInt8(truncatingIfNeeded: quantum >> 16))
      bytes.append(UInt8(truncatingIfNeeded: quantum >> 8))
      bytes.append(UInt8(truncatingIfNeeded: quantum))
      quantum = 0
      pending = 0
    }
  }

  /// The decoded bytes, or nil when the characters are not valid base64.
  mutating func finish() -> [UInt8]? {
    guard valid else { return nil }
    if padding > 0, pending + padding != 4 { return nil }
    switch pending {
    case 0:
      break
    case 2:
      bytes.append(UInt8(truncatingIfNeeded: quantum >> 4))
    case 3:
      bytes.append(UInt8(truncatingIfNeeded: quantum >> 10))
      bytes.append(UInt8(truncatingIfNeeded: quantum >> 2))
    default:
      return nil
    }
    pending = 0
    let result = bytes
    bytes = []
    return result
  }
}

/// Why an attribute value could not be turned into text.
enum XMLValueError: Error, Equatable {
  /// An entity that XML does not define, as written ("&nbsp;").
  case unknownEntity(String)
}

/// Turns a raw attribute value into text: resolves the five XML entities and character references, joins
/// UTF-16 surrogate pairs written as two references, and keeps line breaks exactly as the exporter wrote them.
enum XMLValueDecoder {
  /// The decoded text and, if something had to be replaced, a note saying what.
  static func decode(_ raw: [UInt8]) throws -> (text: String, repairs: [String]) {
    // Most values (numbers, addresses, plain words) have no reference at all.
    if !raw.contains(xmlASCII("&")), let text = String(validating: raw, as: UTF8.self) {
      return (text, [])
    }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var repairs: [String] = []
    var index = 0
    while index < raw.count {
      let byte = raw[index]
      guard byte == xmlASCII("&") else {
        out.append(byte)
        index += 1
        continue
      }
      let (reference, next) = try readReference(raw, at: index)
      index = next
      switch reference {
      case .named(let byte):
        out.append(byte)
      case .scalar(let value, let written):
        if (0xD800...0xDBFF).contains(value) {
          if index < raw.count, raw[index] == xmlASCII("&"),
            let (low, afterLow) = try? readReference(raw, at: index),
            case .scalar(let lowValue, _) = low, (0xDC00...0xDFFF).contains(lowValue)
          {
            let combined = 0x10000 + ((value - 0xD800) << 10) + (lowValue - 0xDC00)
            appendScalar(combined, to: &out)
            index = afterLow
          } else {
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            repairs.append("a lone UTF-16 surrogate \(written) was replaced with U+FFFD")
          }
        } else if (0xDC00...0xDFFF).contains(value) {
          out.append(contentsOf: [0xEF, 0xBF, 0xBD])
          repairs.append("a lone UTF-16 surrogate \(written) was replaced with U+FFFD")
        } else if value == 0 || value > 0x10FFFF {
          out.append(contentsOf: [0xEF, 0xBF, 0xBD])
          repairs.append("the character reference \(written) names no character and was replaced with U+FFFD")
        } else {
          appendScalar(value, to: &out)
        }
      }
    }
    if let text = String(validating: out, as: UTF8.self) {
      return (text, repairs)
    }
    repairs.append("bytes that are not UTF-8 were replaced with U+FFFD")
    return (String(decoding: out, as: UTF8.self), repairs)
  }

  private enum Reference {
    case named(UInt8)
    case scalar(UInt32, written: String)
  }

  /// Reads "&...;" starting at `start` (the "&"); returns the reference and the index after the ";".
  private static func readReference(_ raw: [UInt8], at start: Int) throws -> (Reference, Int) {
    var end = start + 1
    while end < raw.count, raw[end] != xmlASCII(";"), end - start <= 12 {
      end += 1
    }
    guard end < raw.count, raw[end] == xmlASCII(";") else {
      let shown = String(decoding: raw[start..<min(raw.count, start + 12)], as: UTF8.self)
      throw XMLValueError.unknownEntity(shown)
    }
    let body = String(decoding: raw[(start + 1)..<end], as: UTF8.self)
    let written = "&\(body);"
    switch body {
    case "amp": return (.named(xmlASCII("&")), end + 1)
    case "lt": return (.named(xmlASCII("<")), end + 1)
    case "gt": return (.named(xmlASCII(">")), end + 1)
    case "quot": return (.named(xmlASCII("\"")), end + 1)
    case "apos": return (.named(xmlASCII("'")), end + 1)
    default: break
    }
    var digits = Substring(body)
    guard digits.first == "#" else { throw XMLValueError.unknownEntity(written) }
    digits = digits.dropFirst()
    var radix = 10
    if digits.first == "x" || digits.first == "X" {
      radix = 16
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
      let value = UInt32(digits, radix: radix)
    else { throw XMLValueError.unknownEntity(written) }
    return (.scalar(value, written: written), end + 1)
  }

  private static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
    guard let scalar = Unicode.Scalar(value) else {
      out.append(contentsOf: [0xEF, 0xBF, 0xBD])
      return
    }
    out.append(contentsOf: scalar.utf8)
  }
}
