// Package models holds the GORM models of the drift test (tests/t_orm_drift.sh).
package models

import "gorm.io/gorm"

type User struct {
	gorm.Model
	Email string `gorm:"size:255;uniqueIndex;not null"`
	Name  string `gorm:"size:100"`
	Age   int32  `gorm:"default:18"`
}

type Post struct {
	ID     uint
	UserID uint   `gorm:"not null"`
	Title  string `gorm:"not null"`
	User   User
}
