import ArgumentParser
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Amend: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Correct or add to an incident. The earlier version is kept in the history.",
      discussion:
        """
        Give only what changes; everything else stays as it was. A list option (--category, --tag, --amount) replaces \
        the whole list. People change by role: --person replaces only the perpetrators, --witness only the witnesses, \
        --involved only the others involved; the people in a role you do not name stay as they were. \
        --remove-person NAME takes one person off the entry, whatever their role. --when changes the start and keeps \
        the end the entry has, unless --ended is given too.
        """
    )

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("The entry's number (12 or #12).", valueName: "number"))
    var number: EntryNumber

    @OptionGroup var entry: EntryOptions

    @Option(
      name: .customLong("remove-person"),
      help: ArgumentHelp(
        "Take this person off the entry, whatever their role; everyone else stays (repeatable).", valueName: "name"))
    var removePerson: [String] = []

    func run() throws {
      guard entry.attach.isEmpty else {
        throw CommandFailure(
          message: "Files are attached with `evidence attach \(number.value) FILE`, not with amend.")
      }
      guard entry.givesAnything || !removePerson.isEmpty else {
        throw CommandFailure(
          message: "Nothing to change: give the fields that change, such as --where or --narrative-file.",
          hint: "evidence amend \(number.value) --help lists them.")
      }
      var input = try entry.input()
      input.removedPeople = removePerson
      let vault = try vaultOptions.openVault()
      let index = vault.index
      let current = try index.entry(number: number.value).current
      let amended = try input.amend(current, index: index, timeZone: PersonalTimeZone.resolve(), now: DeviceClock.now)
      try vault.amendEntry(number.value, with: amended)
      print("Saved the amendment to entry #\(number.value); the earlier version stays in its history.")
    }
  }
}
