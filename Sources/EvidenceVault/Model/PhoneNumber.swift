import Foundation

/// Why a phone number could not be read, as one plain sentence that can be shown to the person.
public struct PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
  /// One plain English sentence quoting the input and showing an example of a readable number.
  public let message: String
  /// The same as `message`.
  public var description: String { message }
}

/// Reads phone numbers as people write them and turns them into one canonical form.
public enum PhoneNumber {
  /// An example number shown in error messages.
  private static let example = "\"+46 70 123 45 67\""
  /// Characters people put inside numbers for readability, which carry no meaning: spaces, no-break spaces,
  /// hyphens, dots and slashes. Parentheses are handled separately because "(0)" needs special treatment.
  private static let separators: Set<Character> = [
    " ", "\u{00A0}", "\u{202F}", "\u{2009}", "-", "\u{2010}", "\u{2011}", ".", "/",
  ]
  /// The fewest digits, country code included, accepted in a number.
  private static let minimumDigits = 7
  /// The most digits E.164 allows, country code included.
  private static let maximumDigits = 15

  /// Normalises a phone number as people write it to E.164 ("+46701234567"), taking national numbers (leading single 0) as Swedish unless `defaultCountryCode` says otherwise.
  public static func normalise(_ raw: String, defaultCountryCode: String = "46") throws(PhoneNumberError) -> String {
    let input = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !input.isEmpty else {
      throw PhoneNumberError(message: "No phone number was typed; please type one like \(example).")
    }

    // Keep digits, "+" and parentheses; drop separators; refuse letters and anything else.
    var kept = ""
    for character in input {
      if isASCIIDigit(character) || "+()".contains(character) {
        kept.append(character)
      } else if !separators.contains(character) {
        throw PhoneNumberError(
          message: "\"\(input)\" is not a phone number that can be read, because it contains "
            + "\"\(character)\"; please type only digits, like \(example)."
        )
      }
    }

    let digitsAfterPlus: String
    let withoutParentheses = kept.filter { $0 != "(" && $0 != ")" }
    if withoutParentheses.hasPrefix("+") || withoutParentheses.hasPrefix("00") {
      // International: "+46 (0)70…" and "0046 (0)70…" carry a national trunk 0 that must go.
      let international =
        kept
        .replacingOccurrences(of: "(0)", with: "")
        .filter { $0 != "(" && $0 != ")" }
      digitsAfterPlus = String(international.dropFirst(international.hasPrefix("+") ? 1 : 2))
    } else if withoutParentheses.hasPrefix("0") {
      digitsAfterPlus = try countryCode(defaultCountryCode) + withoutParentheses.dropFirst()
    } else {
      throw PhoneNumberError(
        message: "\"\(input)\" has no country code or leading 0; please type the whole number, "
          + "like \(example) or \"070-123 45 67\"."
      )
    }

    guard digitsAfterPlus.allSatisfy(isASCIIDigit), !digitsAfterPlus.hasPrefix("0") else {
      throw PhoneNumberError(
        message: "\"\(input)\" is not a phone number that can be read; please type it like \(example)."
      )
    }
    guard digitsAfterPlus.count >= minimumDigits else {
      throw PhoneNumberError(
        message: "\"\(input)\" is too short to be a whole phone number; please type all of it, "
          + "like \(example)."
      )
    }
    guard digitsAfterPlus.count <= maximumDigits else {
      throw PhoneNumberError(
        message: "\"\(input)\" has too many digits to be a phone number; please check it and type it "
          + "like \(example)."
      )
    }
    return "+" + digitsAfterPlus
  }

  /// Checks a default country code such as "46" (a leading "+" is allowed) and returns its digits.
  private static func countryCode(_ code: String) throws(PhoneNumberError) -> String {
    let digits = code.hasPrefix("+") ? String(code.dropFirst()) : code
    guard (1...3).contains(digits.count), digits.allSatisfy(isASCIIDigit), !digits.hasPrefix("0") else {
      throw PhoneNumberError(
        message: "The default country code \"\(code)\" is not valid; it should be one to three digits, "
          + "like \"46\" for Sweden."
      )
    }
    return digits
  }

  /// Whether `character` is one of the ASCII digits 0–9.
  private static func isASCIIDigit(_ character: Character) -> Bool {
    character.isASCII && character.isWholeNumber
  }
}
