"""The five areas of the main window, one module each. Every area is a QWidget built from the shared
``AppContext`` and the list panels the window creates (their models feed ``MainWindow.area_counts``)."""
