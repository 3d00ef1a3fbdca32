"""The statutory-return commands exit 2, with one line naming what is wrong, for bad arguments
(as the README says), and 1 only for a return that was read and rejected."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    return caught.value


def test_import_903_names_a_missing_file_and_exits_2(tmp_path):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n")
    error = refused("import_903", str(tmp_path))
    assert error.returncode == 2
    assert str(error) == f"{tmp_path / 'episodes.csv'}: no such file."


def test_import_cin_census_names_a_missing_file_and_exits_2(tmp_path):
    error = refused("import_cin_census", str(tmp_path / "census.xml"))
    assert (error.returncode, str(error)) == (
        2,
        f"{tmp_path / 'census.xml'} is not a file: give the path of the CIN census XML file.",
    )


def test_export_903_refuses_a_file_where_the_folder_should_be_with_2(tmp_path):
    (tmp_path / "taken").write_text("")
    error = refused("export_903", "--year", "2017", str(tmp_path / "taken"))
    assert (error.returncode, str(error)) == (2, f"{tmp_path / 'taken'} exists and is not a directory.")


def test_export_cin_census_refuses_bad_arguments_with_2(tmp_path):
    assert refused("export_cin_census", "--year", "1999", str(tmp_path / "c.xml")).returncode == 2
    missing_folder = tmp_path / "nowhere" / "c.xml"
    error = refused("export_cin_census", "--year", "2017", str(missing_folder))
    assert (error.returncode, str(error)) == (
        2,
        f"{missing_folder.parent} is not a folder: cannot write c.xml there.",
    )


def test_a_rejected_return_still_exits_1(tmp_path):
    (tmp_path / "census.xml").write_bytes(b"not xml")
    assert refused("import_cin_census", str(tmp_path / "census.xml")).returncode == 1
