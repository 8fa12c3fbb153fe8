"""The Programm, Protokoll and Ergebnisse areas."""
